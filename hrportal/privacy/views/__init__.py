"""Portal views of Settings (retention, DPA, company deletion) and of data subjects' rights, one module
per concept, routed by `hrportal/privacy/urls.py`.

Every view is for the company's own members (`member_required`), never for provider staff via a mandate:
these pages change what is kept about people, or end the company. The rules are in `retention.py`,
`erasure.py`, `export.py`, `restriction.py`, `deletion.py` and `dpa.py`.
"""

from django.utils.translation import get_language


def page_language():
    """The two-letter language of the request: what the agreement and the export are produced in."""
    return (get_language() or "da")[:2]
