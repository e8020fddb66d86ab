"""The one way to write an audit event: `record(...)`.

Each event links to the previous event of the same company by a keyed hash, and the company's anchor
records the newest link, so an edited, removed, rebuilt or cut-off chain no longer verifies
(`manage.py verify_audit_log` names the first broken link). Writers of one company are serialised (a
PostgreSQL advisory lock) so two concurrent events cannot both claim the same parent.
"""

import contextlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from config.requests import client_ip, count_hit, hash_ip
from hrportal.audit.chain import anchor_mac, chain_id
from hrportal.audit.models import HASH_KEYED, HASH_PLAIN, AuditChainAnchor, AuditEvent, Outcome
from hrportal.tenancy import active_company, cross_company

# Details may carry ids, field names and counts; these keys are refused because they invite personal data.
FORBIDDEN_DETAIL_KEYS = {
    "name",
    "email",
    "cpr",
    "phone",
    "mobile",
    "address",
    "password",
    "token",
    "code",
    "value",
}

_ADVISORY_NAMESPACE = 7262  # arbitrary constant: "audit" advisory locks


def _lock_chain(company_id):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [_ADVISORY_NAMESPACE, int(company_id or 0)]
            )


def _chain_of(company_id):
    """The audit tables are under row-level security like the tenant tables: an event of the scope's own
    company is written in its scope; one of another company (a denied attempt goes to the company whose id was
    tried) or of no company (a login) goes through the door."""
    current = active_company()
    if current is not None and current.pk == company_id:
        return contextlib.nullcontext()
    return cross_company(reason="an audit event goes to the chain of the company it concerns")


def record(
    action,
    *,
    request=None,
    actor=None,
    company=None,
    company_id=None,
    target=None,
    target_type="",
    target_id="",
    outcome=Outcome.SUCCESS,
    details=None,
):
    """Append one event to its company's chain.

    The company is the request's (the one the portal request acts for) unless `company` or `company_id` says
    otherwise: a denied attempt goes to the chain of the company whose id was tried, a login to none.
    """
    details = dict(details or {})
    bad = FORBIDDEN_DETAIL_KEYS.intersection(details)
    if bad:
        raise ValueError(f"Audit details must not carry personal data (keys: {sorted(bad)})")
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if company is None and company_id is None and request is not None:
        company = getattr(request, "company", None)
    if company is not None:
        company_id = company.pk
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    with _chain_of(company_id), transaction.atomic():
        _lock_chain(company_id)
        previous = (
            AuditEvent.objects.filter(company_id=company_id).order_by("-id").values_list("hash", flat=True)
        )
        event = AuditEvent(
            created_at=timezone.now(),
            company_id=company_id,
            actor_id=getattr(actor, "pk", None),
            actor_is_provider=bool(getattr(actor, "is_staff", False)),
            action=str(action),
            target_type=target_type,
            target_id=str(target_id),
            outcome=str(outcome),
            ip_hash=hash_ip(client_ip(request)),
            details=details,
            prev_hash=previous.first() or "",
            hash_version=HASH_KEYED,
        )
        event.hash = event.compute_hash()
        event.save()
        chain = chain_id(company_id)
        anchor = {
            "last_event_id": event.pk,
            "last_hash": event.hash,
            "mac": anchor_mac(chain, event.pk, event.hash),
        }
        # One UPDATE on every event but a chain's first (writers of a chain are serialised above).
        if not AuditChainAnchor.objects.filter(chain=chain).update(**anchor):
            AuditChainAnchor.objects.create(chain=chain, **anchor)
    return event


# Reads of an employee's data (the record, a document's page) are audited at most once per actor, employee,
# kind of read and this window, so the log says who looked at whom and when without a row per page view.
# Downloads and exports are deliberate acts and stay one event each (`record`).
READ_AUDIT_WINDOW = timedelta(hours=1)
EMPLOYEE_TARGET = "employees.employee"


def record_read(action, *, request, employee, company=None, details=None):
    """Audit that `request.user` opened `employee`'s data; None when the same read is already in the window.

    The target is always the employee (an id: the name is decrypted only when the log is shown), so the
    company's log answers "who read this person's data"; what was opened (a document id) goes in details.
    The check runs under the chain's lock, so two concurrent page views write one event, not two.
    """
    company = company or request.company
    actor = getattr(request, "user", None)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        _lock_chain(company.pk)
        seen = AuditEvent.objects.filter(
            company_id=company.pk,
            target_id=str(employee.pk),
            actor_id=actor_id,
            action=str(action),
            target_type=EMPLOYEE_TARGET,
            created_at__gte=timezone.now() - READ_AUDIT_WINDOW,
        ).exists()
        if seen:
            return None
        return record(
            action,
            request=request,
            company=company,
            target_type=EMPLOYEE_TARGET,
            target_id=str(employee.pk),
            details=details,
        )


@dataclass
class ChainBreak:
    """Where a company's chain stops verifying: the event id (or the anchored id) and why."""

    pk: int | None
    reason: str


def verify_chain(company_id) -> ChainBreak | None:
    """Return the first broken link of this company's chain, or None if it is intact up to its anchor."""
    with cross_company(reason="verify_audit_log reads each company's chain and anchor"):
        return _verify_chain(company_id)


def _verify_chain(company_id) -> ChainBreak | None:
    prev = ""
    keyed_seen = False
    last = None
    for event in AuditEvent.objects.filter(company_id=company_id).order_by("id").iterator():
        if event.hash_version == HASH_PLAIN and keyed_seen:
            return ChainBreak(event.pk, "unkeyed hash after keyed ones")
        if event.prev_hash != prev:
            return ChainBreak(event.pk, "link to the previous event is wrong (an event before it is missing)")
        if event.compute_hash() != event.hash:
            return ChainBreak(event.pk, "hash does not match the event (edited, or hashed without the key)")
        keyed_seen = keyed_seen or event.hash_version == HASH_KEYED
        prev = event.hash
        last = event
    chain = chain_id(company_id)
    anchor = AuditChainAnchor.objects.filter(chain=chain).first()
    if anchor is None:
        return None if last is None else ChainBreak(last.pk, "the chain's anchor is missing")
    if anchor.mac != anchor_mac(chain, anchor.last_event_id, anchor.last_hash):
        return ChainBreak(anchor.last_event_id, "the anchor was changed without the key")
    if last is None or (last.pk, last.hash) != (anchor.last_event_id, anchor.last_hash):
        return ChainBreak(
            anchor.last_event_id, "the newest events are missing (the chain ends before its anchor)"
        )
    return None


def chains_to_verify() -> list:
    """Company ids with events or an anchor (None for events of no company)."""
    with cross_company(reason="verify_audit_log lists every company's chain"):
        ids = set(AuditEvent.objects.order_by().values_list("company_id", flat=True).distinct())
        ids |= {chain or None for chain in AuditChainAnchor.objects.values_list("chain", flat=True)}
    return sorted(ids, key=lambda value: value or 0)


# At most this many CROSS_COMPANY_DENIED events per (actor, company) and hour. The event goes to the log of
# the company whose id was tried, so without a cap one customer's admin could flood another customer's
# audit log (and bury what matters) by walking ids. What is over the cap is counted, not lost from view:
# the first event of the next hour carries how many were left out.
DENIED_EVENTS_PER_HOUR = 10


def record_denied_access(request, *, company_id, target_type, target_id):
    """Audit an attempt to reach another company's object, rate-limited per actor and company."""
    from config.cache import SharedStateUnavailable, shared_cache
    from hrportal.audit.models import Action

    user = getattr(request, "user", None)
    actor = user.pk if user is not None and user.is_authenticated else hash_ip(client_ip(request))
    hour = int(timezone.now().timestamp() // 3600)
    details = {}
    try:
        count = count_hit(f"audit:denied:{actor}:{company_id}:{hour}", 2 * 3600)
        if count > DENIED_EVENTS_PER_HOUR:
            return None
        if count == 1:
            previous = shared_cache.get(f"audit:denied:{actor}:{company_id}:{hour - 1}", 0)
            if previous - DENIED_EVENTS_PER_HOUR > 0:
                details["suppressed_in_previous_hour"] = previous - DENIED_EVENTS_PER_HOUR
    except SharedStateUnavailable:
        pass  # no count without Redis: every denial is written (the cap is lifted, never the record)
    return record(
        Action.CROSS_COMPANY_DENIED,
        request=request,
        company_id=company_id,
        target_type=target_type,
        target_id=str(target_id),
        outcome=Outcome.DENIED,
        details=details,
    )
