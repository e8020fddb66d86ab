"""CPR searches by opaque id: a full CPR number never travels in a URL.

A GET query string ends up in the proxy's and gunicorn's access logs, the browser's history, the `next`
field of the page's own forms and, on the next click, a Referer header. So the employee search form posts,
and a CPR-shaped query is remembered in the user's session under a random id for a short while; the list
is then fetched as `?search=<id>`. The session keeps only the query's blind index (the same keyed HMAC the
employee table already holds, useless without the key) and its masked form for display, never the number.
A search id is bound to the company it was made in and dies after `EMPLOYEE_SEARCH_MAX_AGE` seconds.
"""

import secrets
import time

from django.conf import settings
from django.core.exceptions import ValidationError

from hrportal.employees.cpr import cpr_index, mask_cpr

SESSION_KEY = "employee_searches"
NO_MATCH = "-"  # never a blind index (those are hex)
MAX_KEPT = 10  # a user's newest searches; older ids simply expire


def _max_age() -> int:
    return int(settings.EMPLOYEE_SEARCH_MAX_AGE)


def remember(session, company_id: int, query: str) -> str:
    """Keep a CPR search in the session; returns its opaque id."""
    now = time.time()
    kept = {
        sid: entry for sid, entry in (session.get(SESSION_KEY) or {}).items() if entry.get("expires", 0) > now
    }
    try:
        index = cpr_index(company_id, query)
    except ValidationError:  # CPR-shaped, but its first six digits are no date: nobody has it
        index = NO_MATCH
    search_id = secrets.token_urlsafe(12)
    kept[search_id] = {
        "company": company_id,
        "index": index,
        "masked": mask_cpr(query),
        "expires": now + _max_age(),
    }
    newest = sorted(kept.items(), key=lambda item: item[1]["expires"])[-MAX_KEPT:]
    session[SESSION_KEY] = dict(newest)
    return search_id


def recall(session, company_id: int, search_id: str) -> dict | None:
    """The search's blind index and masked CPR, or None if unknown, expired or made in another company."""
    entry = (session.get(SESSION_KEY) or {}).get(search_id or "")
    if not entry or entry.get("company") != company_id or entry.get("expires", 0) <= time.time():
        return None
    return entry
