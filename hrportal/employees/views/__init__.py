"""Employee pages, one module per concept, routed by `hrportal/employees/urls.py`: the list and its
search (`search`), bulk import and export (`transfer`), one employee's record (`record`), their photo
(`photo`) and the full CPR number (`reveal`).

Every view needs an active company and goes through `employee_view`; objects are fetched through
`Employee.objects`, scoped to that company, or `own_object`, which also audits another company's id (a
404). Full CPR numbers are rendered only by `reveal.reveal_cpr`, after a fresh second-factor code and a
reason, and that is audited.
"""

import logging
from functools import wraps

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from hrportal.encryption.keyring import DecryptionError, KeyringError
from hrportal.tenancy import company_required

logger = logging.getLogger(__name__)


def employee_view(view):
    """company_required + no caching + a clear page (never data, never ciphertext) if keys fail."""

    @company_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (DecryptionError, KeyringError) as exc:
            # The message names key ids and the company id, never a value.
            logger.error("Employee data of company %s could not be decrypted: %s", request.company.pk, exc)
            return render(request, "hrportal/employees/key_error.html", status=503)

    return wrapper
