"""Employees' own data-subject requests, sent through their company's link and routed to its admins.

A company admin hands out one link per company (`RequestLink`); on it a person chooses the right, gives a
name, an e-mail and a message, and proves the e-mail with a code sent to it. Only then is a
`DataSubjectRequest` written, in the company's scope, received today and due one month later, linked to no
employee: the admin matches it by hand, never the name.

Where the unconfirmed request waits: in the shared cache (Redis in production), under a random key that
only the visitor's session holds, for `PENDING_MAX_AGE`. Not in the request table (nothing is a request
until the e-mail is proven), not in a table of its own (it would need a purge job, and a crash between
writing and purging would leave a stranger's name and message behind), and not in the session itself
(`django_session` rows live for hours and are not encrypted: the name, address and message would sit in
them). The cache entry expires on its own; the code is kept only as a keyed hash bound to its entry, and
wrong codes are counted with the cache's atomic counter (`count_hit`, as the signup's SMS codes are), so
concurrent guesses cannot exceed `CODE_MAX_ATTEMPTS`. A cache that cannot be reached raises
`SharedStateUnavailable`: the step is refused with a message, never let through uncounted.

Nothing on the public pages depends on who the e-mail belongs to: no account or employee is looked up by
it, so the answer is the same for any address.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config import mail
from config.cache import shared_cache as cache
from config.origins import app_url
from config.requests import count_hit, rate_limited
from hrportal.encryption.primitives import keyed_hash
from hrportal.privacy.models import DataSubjectRequest, RequestLink

PENDING_MAX_AGE = timedelta(minutes=30)
CODE_MAX_ATTEMPTS = 5
SUBMITS_PER_IP_PER_HOUR = 5  # each submission sends an e-mail
CONFIRMS_PER_IP_PER_10_MINUTES = 30
SESSION_KEY = "employee_request_pending"


class RequestError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- The company's link -------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(link: RequestLink) -> str:
    """The link's token: derived from its secret under the server's key (128 bits, hex), never stored."""
    return keyed_hash("employee-request-link", link.secret)[:32]


def link_url(link: RequestLink) -> str:
    return app_url(reverse("employee_request", args=[link_token(link)]))


def current_link() -> RequestLink | None:
    """The active company's link, or None before an admin created one."""
    return RequestLink.objects.first()


def regenerate_link(*, user) -> RequestLink:
    """A new link for the active company; the old one stops working at once (its hash is replaced)."""
    link = RequestLink.objects.first() or RequestLink()
    link.secret = secrets.token_hex(32)
    link.token_hash = token_hash(link_token(link))
    link.created_at = timezone.now()
    link.created_by = user
    link.save()
    return link


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (no script, no data: URL, so the portal's CSP stays as it is)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


# --- Pending requests (the shared cache, referenced from the session) -----------------------------------


@dataclass
class Pending:
    key: str
    link_hash: str
    kind: str
    name: str
    email: str
    message: str
    language: str
    code_hash: str


def _cache_key(key: str) -> str:
    return f"employee-request-pending:{key}"


def _code_hash(key: str, code: str) -> str:
    return keyed_hash("employee-request-code", f"{key}:{(code or '').strip()}")


def submits_limited(request) -> bool:
    return rate_limited(request, "employee-request:submit", SUBMITS_PER_IP_PER_HOUR)


def confirms_limited(request) -> bool:
    return rate_limited(request, "employee-request:confirm", CONFIRMS_PER_IP_PER_10_MINUTES, 600)


def start(request, link: RequestLink, data: dict) -> None:
    """Keep the unconfirmed request for PENDING_MAX_AGE and e-mail its code; replaces an earlier one."""
    discard(request)
    key = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(1_000_000):06d}"
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    state = {
        "link_hash": link.token_hash,
        "kind": data["kind"],
        "name": data["name"],
        "email": data["email"],
        "message": data["message"],
        "language": language,
        "code_hash": _code_hash(key, code),
    }
    cache.set(_cache_key(key), state, int(PENDING_MAX_AGE.total_seconds()))
    request.session[SESSION_KEY] = key
    minutes = int(PENDING_MAX_AGE.total_seconds() // 60)
    mail.send(
        "emails/employee_request_code",
        {"name": data["name"], "company": link.company.name, "code": code, "minutes": minutes},
        to=[data["email"]],
        subject=_("Your code to confirm your request"),
    )


def pending(request, link: RequestLink) -> Pending | None:
    """The visitor's unconfirmed request for this link, or None (none, expired, or for another link)."""
    key = request.session.get(SESSION_KEY)
    state = cache.get(_cache_key(key)) if key else None
    if not state or state.get("link_hash") != link.token_hash:
        return None
    return Pending(key=key, **state)


def discard(request) -> None:
    key = request.session.pop(SESSION_KEY, None)
    if key:
        cache.delete(_cache_key(key))


def confirm(request, link: RequestLink, code: str) -> DataSubjectRequest:
    """Check the code and write the request in the link's company scope; RequestError otherwise. The
    caller audits it and then sends the acknowledgement (`send_acknowledgement`).

    Every wrong code gives the same message until the last allowed attempt, after which the pending
    request is gone and the person starts again (with a new code to the same address)."""
    from hrportal.tenancy import company_scope

    state = pending(request, link)
    if state is None:
        raise RequestError(_("The request has expired or was not started here. Fill in the form again."))
    attempt = count_hit(f"employee-request-attempts:{state.key}", int(PENDING_MAX_AGE.total_seconds()))
    if attempt > CODE_MAX_ATTEMPTS:
        discard(request)
        raise RequestError(_("Too many wrong codes. Fill in the form again to get a new code."))
    if not secrets.compare_digest(state.code_hash, _code_hash(state.key, code)):
        raise RequestError(_("The code is not right. Check the e-mail and try again."))
    discard(request)
    with company_scope(link.company):
        dsr = DataSubjectRequest(
            company=link.company,
            kind=state.kind,
            received_on=timezone.localdate(),
            description=state.message,
            source=DataSubjectRequest.Source.EMPLOYEE_LINK,
            requester_name=state.name,
            requester_email=state.email,
            requester_language=state.language,
        )
        dsr.follow_token_hash = token_hash(follow_token(dsr))
        dsr.save()
    return dsr


# --- The person's follow link and e-mails ----------------------------------------------------------------


def follow_token(dsr: DataSubjectRequest) -> str:
    """The person's follow link token: derived from the request's uuid under the server's key, so the
    acknowledgement and the status e-mail carry the same link while the database keeps only its hash."""
    return keyed_hash("employee-request-follow", str(dsr.uuid))[:43]


def follow_url(dsr: DataSubjectRequest) -> str:
    return app_url(reverse("employee_request_follow", args=[follow_token(dsr)]))


def send_acknowledgement(dsr: DataSubjectRequest, company) -> None:
    with translation.override(dsr.requester_language or settings.LANGUAGE_CODE):
        mail.send(
            "emails/employee_request_received",
            {"dsr": dsr, "company": company.name, "link": follow_url(dsr)},
            to=[dsr.requester_email],
            subject=_("We have received your request"),
        )


def send_closed(dsr: DataSubjectRequest, company) -> None:
    """Tell the person their request is closed (only for requests they sent through the link)."""
    if dsr.source != DataSubjectRequest.Source.EMPLOYEE_LINK or not dsr.requester_email:
        return
    with translation.override(dsr.requester_language or settings.LANGUAGE_CODE):
        mail.send(
            "emails/employee_request_closed",
            {"dsr": dsr, "company": company.name, "link": follow_url(dsr)},
            to=[dsr.requester_email],
            subject=_("Your request has been closed"),
        )
