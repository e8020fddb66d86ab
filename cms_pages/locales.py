"""Locale ids and language codes without a query per request, and rows shown in a language with fallback.

A locale's id never changes meaning once content uses it, so the mapping is read once per process (one query
for all locales) and read again only when an unknown id or code turns up.
"""

from django.conf import settings
from wagtail.models import Locale

_CODES: dict[int, str] = {}


def _load():
    _CODES.clear()
    _CODES.update(Locale.objects.values_list("id", "language_code"))


def locale_code(locale_id) -> str:
    if locale_id is None:
        return settings.LANGUAGE_CODE
    if locale_id not in _CODES:
        _load()
    return _CODES.get(locale_id, settings.LANGUAGE_CODE)


def locale_id_for(language_code: str) -> int | None:
    for attempt in range(2):
        for locale_id, code in _CODES.items():
            if code == language_code:
                return locale_id
        if attempt == 0:
            _load()
    return None


def in_language(queryset, locale_id, sort_key):
    """The rows of a translatable `queryset` in `locale_id`, each untranslated row in the default language.

    For lists visitors rely on (our data processors), a row an editor has not translated yet must still
    show, in Danish, rather than silently vanish from the English page. One query.
    """
    default_id = locale_id_for(settings.LANGUAGE_CODE)
    chosen = {}
    for row in queryset.filter(locale_id__in={locale_id, default_id} - {None}):
        if row.translation_key not in chosen or row.locale_id == locale_id:
            chosen[row.translation_key] = row
    return sorted(chosen.values(), key=sort_key)
