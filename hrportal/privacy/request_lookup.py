"""The lookups of employees' own requests that cross companies, and nothing else.

The company's request link and the person's follow link name a link or a request, never the company: these
are the only queries that must find a row before its company is known (as `documents.signing.lookup` does
for `/sign/`). Keeping them in one module keeps the `cross_company` door this narrow; everything after the
lookup runs in the found company's own scope.
"""

import re

from hrportal.companies.models import Company
from hrportal.privacy.employee_requests import token_hash
from hrportal.privacy.models import DataSubjectRequest, RequestLink
from hrportal.tenancy import cross_company

_LINK_TOKEN = re.compile(r"[0-9a-f]{32}")
_FOLLOW_TOKEN = re.compile(r"[0-9a-f]{43}")


def link_for_token(token: str) -> RequestLink | None:
    """None for a token that is malformed, unknown, replaced, or of a company that is not active: the page
    says the same for all of them."""
    if not _LINK_TOKEN.fullmatch(token or ""):
        return None
    with cross_company(reason="a request link names the link, not the company"):
        link = RequestLink.objects.select_related("company").filter(token_hash=token_hash(token)).first()
    if link is None or link.company.status != Company.Status.ACTIVE:
        return None
    return link


def request_for_follow_token(token: str) -> DataSubjectRequest | None:
    if not _FOLLOW_TOKEN.fullmatch(token or ""):
        return None
    with cross_company(reason="a follow link names the person's request, not the company"):
        dsr = (
            DataSubjectRequest.objects.select_related("company")
            .filter(follow_token_hash=token_hash(token), source=DataSubjectRequest.Source.EMPLOYEE_LINK)
            .first()
        )
    if dsr is None or dsr.company.status != Company.Status.ACTIVE:
        return None
    return dsr
