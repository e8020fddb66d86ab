"""The sub-processor list as published, and a fingerprint of it.

`processors_fingerprint()` is a hash of the list (names, countries, inside or outside the EU/EEA, dates), so
an acceptance that stored it can tell when the list has changed since.
"""

import hashlib
import json

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale

from cms_pages.locales import in_language, locale_id_for
from cms_pages.models import DataProcessor


def _in_language(qs, language, sort_key):
    """Each processor in `language`, an untranslated one in the default language."""
    locale = Locale.objects.filter(language_code=language or settings.LANGUAGE_CODE).first()
    locale_id = locale.pk if locale is not None else locale_id_for(settings.LANGUAGE_CODE)
    return in_language(qs, locale_id, sort_key=sort_key)


def sub_processors(language=None, at=None):
    """Live processors in `language` (each untranslated one in the default language), in force at `at`."""
    at = at or timezone.localdate()
    qs = DataProcessor.objects.filter(live=True, added_on__lte=at).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=at)
    )
    return _in_language(qs, language, sort_key=lambda p: p.name)


def planned_processors(language=None, at=None):
    """Live processors that start after `at`: announced ahead (PROCESSOR_NOTICE_DAYS) so customers may
    object, not part of the agreement's list until their date."""
    at = at or timezone.localdate()
    qs = DataProcessor.objects.filter(live=True, added_on__gt=at)
    return _in_language(qs, language, sort_key=lambda p: (p.added_on, p.name))


def processors_fingerprint(at=None) -> str:
    rows = sorted(
        (str(p.translation_key), p.name, p.country, p.inside_eu_eea, str(p.added_on), str(p.removed_on or ""))
        for p in sub_processors(settings.LANGUAGE_CODE, at)
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()
