"""Restriction of processing (GDPR art. 18): while active, no new documents and no exports of the employee,
except the access export to the person themself. Other modules ask `is_restricted()` or
`ensure_not_restricted()`; models listed in settings.PRIVACY_RESTRICTED_MODELS are also guarded on
creation (see `signals.py`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.tenancy import company_scope, require_scope_of


class ProcessingRestricted(Exception):
    """The employee's data is restricted: this processing is not allowed until the restriction is lifted."""

    message = _("Processing of this employee's data is restricted. Lift the restriction first.")


def active_restriction(employee):
    from hrportal.privacy.models import ProcessingRestriction

    require_scope_of(employee.company_id)
    return ProcessingRestriction.objects.filter(employee_id=employee.pk, lifted_at__isnull=True).first()


def is_restricted(employee) -> bool:
    return active_restriction(employee) is not None


def restricted_employee_ids(company) -> set[int]:
    from hrportal.privacy.models import ProcessingRestriction

    with company_scope(company):
        return set(
            ProcessingRestriction.objects.filter(lifted_at__isnull=True).values_list("employee_id", flat=True)
        )


def ensure_not_restricted(employee, action: str = "") -> None:
    if is_restricted(employee):
        raise ProcessingRestricted(action)


def place_restriction(employee, *, reason="", request_obj=None, actor=None, request=None):
    from hrportal.privacy.models import ProcessingRestriction

    existing = active_restriction(employee)
    if existing is not None:
        return existing
    restriction = ProcessingRestriction.objects.create(
        company_id=employee.company_id,
        employee=employee,
        reason=reason,
        request=request_obj,
        placed_by=actor,
    )
    record(
        Action.RESTRICTION_PLACED,
        request=request,
        actor=actor,
        company_id=employee.company_id,
        target=employee,
        details={"restriction": restriction.pk},
    )
    return restriction


def lift_restriction(employee, *, actor=None, request=None) -> bool:
    restriction = active_restriction(employee)
    if restriction is None:
        return False
    restriction.lifted_at = timezone.now()
    restriction.lifted_by = actor
    restriction.save(update_fields=["lifted_at", "lifted_by"])
    record(
        Action.RESTRICTION_LIFTED,
        request=request,
        actor=actor,
        company_id=employee.company_id,
        target=employee,
        details={"restriction": restriction.pk},
    )
    return True
