"""Annex A of the agreement (the processing), supplied by whoever holds the personal-data registry.

The registry lives in the portal, which the public site may not import. The portal registers a Wagtail hook
`dpa_annex_a` (hrportal/privacy/wagtail_hooks.py) returning the annex's data; the agreement's rendering and
its editor preview ask for it here. Without the portal installed there is no Annex A data and the template
says the annex is unavailable rather than listing made-up categories.
"""

from dataclasses import dataclass, field

from wagtail import hooks

HOOK = "dpa_annex_a"


@dataclass
class DataCategory:
    purpose: str  # lazy text, rendered in the agreement's language
    fields: list = field(default_factory=list)  # lazy field labels


@dataclass
class AnnexA:
    subjects: list  # lazy labels of the categories of data subjects
    categories: list[DataCategory]


def annex_a(language=None) -> AnnexA | None:
    """The first registered provider's annex (its texts are lazy: render them in the agreement's language)."""
    for provider in hooks.get_hooks(HOOK):
        return provider()
    return None
