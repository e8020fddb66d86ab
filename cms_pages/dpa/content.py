"""Reading the published agreement and the sub-processor list (used by the portal, read-only).

The list itself (and its fingerprint) is `processors.py`, which the agreement's editor preview uses too.
"""

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail.models import Locale

from cms_pages.dpa.annexes import annex_a
from cms_pages.dpa.models import DataProcessingAgreement
from cms_pages.dpa.processors import (  # noqa: F401 - the portal reads these here
    planned_processors,
    processors_fingerprint,
    sub_processors,
)


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


def agreement_text_hash(agreement) -> str:
    """A hash of the text editors wrote. Annexes C and D count only when present, so the hash of a version
    written before they existed (and stored in its acceptances) is unchanged."""
    text = f"{agreement.version}\n{agreement.title}\n{agreement.body}"
    if agreement.has_annexes:
        text += f"\n{agreement.annex_c}\n{agreement.annex_d}"
    return hashlib.sha256(text.encode()).hexdigest()


def render_agreement(agreement, language=None) -> str:
    """The agreement as HTML (its clauses and annexes A-D, or for an earlier version its text and the
    sub-processor list), in its own language."""
    language = language or agreement.locale.language_code
    with translation.override(language):
        return render_to_string(
            "dpa/agreement_body.html",
            {
                "agreement": agreement,
                "processors": sub_processors(language),
                "annex_a": annex_a(language) if agreement.has_annexes else None,
            },
        )
