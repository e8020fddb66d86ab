"""Every string the code marks for translation has a Danish translation in some catalogue.

The catalogues are kept by hand per app (a template's strings often sit in its app's catalogue, not where
`makemessages` would put them), so "untranslated in the file makemessages writes" says nothing; what a
Danish user meets is the union Django loads. The test extracts the strings the way `makemessages` does, in a
copy of the source (makemessages rewrites catalogues in place), and looks each up in that union.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["cms_pages", "hrportal", "config", "templates", "locale", "manage.py"]


def _catalogues(root):
    return [p for p in root.glob("**/locale/da/LC_MESSAGES/django.po") if ".venv" not in p.parts]


def _translated(paths):
    return {
        (e.msgctxt, e.msgid)
        for path in paths
        for e in polib.pofile(str(path))
        if e.translated() and not e.obsolete
    }


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext's xgettext")
def test_every_marked_string_has_a_danish_translation(tmp_path):
    copy = tmp_path / "src"
    copy.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, copy / name)
    kept = _translated(_catalogues(ROOT))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "-v", "0"],
        cwd=copy,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        },
    )
    missing = sorted(
        f"{e.msgid!r} ({', '.join(f'{f}:{n}' for f, n in e.occurrences[:2])})"
        for path in _catalogues(copy)
        for e in polib.pofile(str(path))
        if not e.obsolete and (e.msgctxt, e.msgid) not in kept
    )
    assert not missing, "strings with no Danish translation in any catalogue:\n" + "\n".join(missing)
