"""Create or update a translation through wagtail-localize, as a translator would.

Used by the demo seed so English pages are real wagtail-localize translations of the Danish source
(synchronised on later source changes), never hand-made copies.
"""

import html

from django.utils.html import escape
from wagtail_localize.models import Translation, TranslationSource


def translate(instance, locale, strings: dict[str, str], publish: bool = True):
    """Translate `instance` into `locale`, taking each segment's text from `strings` (source -> target).

    Segments missing from `strings` keep the source text. Returns the translated instance.
    """
    source, created = TranslationSource.get_or_create_from_instance(instance)
    if not created:
        source.update_from_db()
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = _target(strings, entry.msgid)
    translation.import_po(po)
    translation.save_target(publish=publish)
    return instance.get_translation(locale)


def _target(strings: dict[str, str], msgid: str) -> str:
    """The translation of one segment. wagtail-localize keeps plain-text fields (a title, a snippet's
    CharField) HTML-escaped in its segments ("GDPR &amp; Sikkerhed"), so a mapping written in plain text
    is also tried unescaped, and its answer escaped back."""
    if msgid in strings:
        return strings[msgid]
    plain = html.unescape(msgid)
    if plain != msgid and plain in strings:
        return escape(strings[plain])
    return msgid
