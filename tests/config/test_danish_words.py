"""Words a Dane expects (issue 14): the company's authorisation of Ansatte's staff is a "fuldmagt".

"Medlemskab" (membership) and "mandat" are not what a Danish HR manager calls it, and a page that says
"fuldmagt" in one place and "medlemskab" in another reads as two different things. The catalogue test
guards every Danish msgstr; the template test guards Danish text written straight into templates
(template tags and variables are stripped first, so identifiers such as `via_mandate` do not count).
"""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
DANISH_MANDAT = re.compile(r"\bmandat(?:et|er|erne|ets)?\b", re.IGNORECASE)
TAGS = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)


def _danish_entries():
    for path in ROOT.glob("**/locale/da/LC_MESSAGES/django.po"):
        if ".venv" in path.parts:
            continue
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                yield path.relative_to(ROOT), entry


def test_no_danish_msgstr_says_mandat():
    bad = [
        f"{path}:{e.linenum}: {e.msgstr}"
        for path, e in _danish_entries()
        if DANISH_MANDAT.search(e.msgstr) or any(DANISH_MANDAT.search(s) for s in e.msgstr_plural.values())
    ]
    assert not bad, "Danish says 'fuldmagt', not 'mandat':\n" + "\n".join(bad)


def test_every_danish_translation_of_mandate_says_fuldmagt():
    """Where the English says "mandate", the Danish says "fuldmagt" (not "medlemskab" or another word)."""
    bad = [
        f"{path}:{e.linenum}: {e.msgid!r} -> {e.msgstr!r}"
        for path, e in _danish_entries()
        if re.search(r"\bmandate", e.msgid, re.IGNORECASE) and e.msgstr and "fuldmagt" not in e.msgstr.lower()
    ]
    assert not bad, "\n".join(bad)


def test_no_template_text_says_mandat():
    bad = []
    for path in (ROOT / "templates").glob("**/*"):
        if path.suffix not in {".html", ".txt", ".xml"}:
            continue
        text = TAGS.sub(" ", path.read_text(encoding="utf-8"))
        bad += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in DANISH_MANDAT.finditer(text)]
    assert not bad, "\n".join(bad)


@pytest.mark.django_db
def test_danish_admin_sees_fuldmagt_on_the_mandate_page_and_dashboard(admin_client, admin_user):
    assert admin_user.language == "da"
    for url in ("/portal/mandate/", "/portal/"):
        html = admin_client.get(url).content.decode()
        assert "Fuldmagt" in html, url
        assert "edlemskab" not in html, url
        assert not DANISH_MANDAT.search(html), url


AUDIT_LOG_VARIANTS = re.compile(
    r"revisionslog|auditlog|audit log|hændelseslog|sikkerhedslog|log over aktivitet|aktivitetsoversigt",
    re.IGNORECASE,
)


def test_the_audit_log_has_one_danish_name():
    """The portal page is "Aktivitetslog"; a help text that says "revisionsloggen" sends the user looking for
    a second log that does not exist."""
    bad = [
        f"{path}:{e.linenum}: {e.msgstr}"
        for path, e in _danish_entries()
        if AUDIT_LOG_VARIANTS.search(e.msgstr)
        or any(AUDIT_LOG_VARIANTS.search(s) for s in e.msgstr_plural.values())
    ]
    assert not bad, "Danish calls it 'aktivitetslog(gen)':\n" + "\n".join(bad)
    audit_msgids = [
        e.msgstr
        for _path, e in _danish_entries()
        if re.search(r"\baudit log\b", e.msgid, re.IGNORECASE) and e.msgstr
    ]
    assert audit_msgids
    assert all("aktivitetslog" in s.lower() for s in audit_msgids), audit_msgids
