"""The README and docs/ are read from a clone: every link they make must lead to a file in the repository."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
PATH_IN_BACKTICKS = re.compile(r"`(\.\./[^`]+)`")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_links_stay_inside_the_repository(doc):
    text = doc.read_text()
    broken = []
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        path = (doc.parent / target.split("#")[0]).resolve()
        if not path.is_relative_to(ROOT) or not path.exists():
            broken.append(target)
    broken += PATH_IN_BACKTICKS.findall(text)  # "see `../shared/…`" points outside a clone too
    assert not broken, f"{doc.name} points outside the repository or at nothing: {broken}"


def test_the_readme_sends_readers_to_the_design_in_the_repository():
    assert "(docs/design.md)" in (ROOT / "README.md").read_text()
