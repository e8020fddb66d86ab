"""Reading the published agreement and the sub-processor list (used by the portal, read-only).

`processors_fingerprint()` is a hash of the sub-processor list as published (names, countries, inside or
outside the EU/EEA, dates), so an acceptance that stored it can tell when the list has changed since.
"""

import hashlib
import json

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail.models import Locale

from cms_pages.dpa.models import DataProcessingAgreement
from cms_pages.locales import in_language, locale_id_for
from cms_pages.models import DataProcessor


def _locale(language):
    return Locale.objects.filter(language_code=language).first()


def _default_language():
    return settings.LANGUAGE_CODE


def published(language=None):
    """Live versions in `language` valid today or earlier, newest first."""
    locale = _locale(language or _default_language())
    today = timezone.localdate()
    qs = DataProcessingAgreement.objects.filter(live=True, valid_from__lte=today)
    return qs.filter(locale=locale).order_by("-valid_from", "-pk") if locale else qs.none()


def current_agreement(language=None):
    """The agreement in force, in `language` when translated, else in the default language."""
    source = published(_default_language()).first()
    if source is None:
        return None
    language = language or _default_language()
    if language != _default_language():
        translated = published(language).filter(translation_key=source.translation_key).first()
        if translated is not None:
            return translated
    return source


def agreement_in(agreement, language):
    """The same version in another language, or the agreement itself when not translated (or not live)."""
    locale = _locale(language)
    other = agreement.get_translation_or_none(locale) if locale else None
    return other if other is not None and other.live else agreement


def earlier_versions(language=None):
    current = current_agreement(language)
    source_language = _default_language()
    rows = []
    for agreement in published(source_language):
        if current is not None and agreement.translation_key == current.translation_key:
            continue
        rows.append(agreement_in(agreement, language or source_language))
    return rows


def sub_processors(language=None, at=None):
    """Live processors in `language` (each untranslated one in the default language), in force at `at`."""
    at = at or timezone.localdate()
    locale = _locale(language or _default_language())
    qs = DataProcessor.objects.filter(live=True, added_on__lte=at).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=at)
    )
    if locale is None:
        return in_language(qs, locale_id_for(_default_language()), sort_key=lambda p: p.name)
    return in_language(qs, locale.pk, sort_key=lambda p: p.name)


def processors_fingerprint(at=None) -> str:
    rows = sorted(
        (str(p.translation_key), p.name, p.country, p.inside_eu_eea, str(p.added_on), str(p.removed_on or ""))
        for p in sub_processors(_default_language(), at)
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def agreement_text_hash(agreement) -> str:
    return hashlib.sha256(f"{agreement.version}\n{agreement.title}\n{agreement.body}".encode()).hexdigest()


def render_agreement(agreement, language=None) -> str:
    """The agreement as HTML (its text and the sub-processor list), in its own language."""
    language = language or agreement.locale.language_code
    with translation.override(language):
        return render_to_string(
            "dpa/agreement_body.html", {"agreement": agreement, "processors": sub_processors(language)}
        )
