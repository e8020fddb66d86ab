#!/usr/bin/env python
"""Compile every locale/*/LC_MESSAGES/*.po (project and apps) into .mo with polib (no GNU gettext needed).

Only .po files are committed; .mo files are build products (gitignored), compiled by `make` before
running or testing, so a machine without gettext works and the two can never drift apart.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    count = 0
    candidates = list((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))
    for app_dir in ("cms_pages", "hrportal"):  # app catalogues: locale/ inside an app or a sub-app
        candidates += (ROOT / app_dir).glob("**/locale/*/LC_MESSAGES/*.po")
    for po_path in sorted(candidates):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        seen: dict[tuple[str | None, str], str] = {}
        for entry in catalogue:
            key = (entry.msgctxt, entry.msgid)
            if key in seen and not entry.obsolete:
                # Branches merged with git's union driver (.gitattributes) can leave an entry twice.
                print(f"{po_path}: duplicate msgid {entry.msgid!r}", file=sys.stderr)
                return 1
            seen[key] = entry.msgstr
        catalogue.save_as_mofile(str(mo_path))
        count += 1
    print(f"compiled {count} translation file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
