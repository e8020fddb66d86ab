"""Granting and revoking the provider mandate.

At most one mandate of a company is open (not revoked) at a time, enforced by a partial unique
constraint: two concurrent grants would otherwise both see "no active mandate" and both insert, and a
revocation that ends only one of them would leave provider access in place. Grants and revocations lock
the company row so they are serialised, and revocation ends every open mandate, not just the first.

An expired mandate still counts as open for the constraint (its end is a date, which a constraint cannot
compare with the clock); it is closed with `revoked_at = valid_until` and no revoking user before a new
grant, which `Mandate.ended_by_expiry` tells apart from a revocation.
"""

from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.companies.models import Company, Mandate


def valid_through(day):
    """The end of a mandate given as a date: the admin means "until and including that day", so it ends at
    the last second of the day in the site's time zone (Danish time), not at midnight before it. None
    (no end chosen) stays None: open until revoked."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max.replace(microsecond=0)))


def _lock(company) -> None:
    Company.objects.select_for_update().filter(pk=company.pk).exists()


def _close_expired(company, now) -> None:
    for mandate in Mandate.objects.filter(
        company=company, revoked_at__isnull=True, valid_until__isnull=False, valid_until__lte=now
    ):
        Mandate.objects.filter(pk=mandate.pk).update(revoked_at=mandate.valid_until)


def grant(company, user, valid_until=None, *, request=None) -> Mandate | None:
    """Grant a mandate; None when one is active already (also when another request just granted one)."""
    with transaction.atomic():
        _lock(company)
        now = timezone.now()
        _close_expired(company, now)
        if Mandate.objects.active(now).filter(company=company).exists():
            return None
        try:
            with transaction.atomic():
                granted = Mandate.objects.create(company=company, granted_by=user, valid_until=valid_until)
        except IntegrityError:  # the constraint's answer when a lock could not serialise us (SQLite)
            return None
        record(Action.MANDATE_GRANTED, request=request, actor=user, company=company, target=granted)
        return granted


def revoke(company, user, *, request=None) -> list[Mandate]:
    """End every active mandate of the company at once; return those ended."""
    with transaction.atomic():
        _lock(company)
        now = timezone.now()
        active = list(Mandate.objects.active(now).filter(company=company))
        Mandate.objects.filter(pk__in=[m.pk for m in active]).update(revoked_at=now, revoked_by=user)
        for mandate in active:
            record(Action.MANDATE_REVOKED, request=request, actor=user, company=company, target=mandate)
        return active
