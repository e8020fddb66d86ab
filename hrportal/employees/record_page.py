"""What the employee record shows beside the employee's own fields: the data-subject requests linked to
them and the latest audit events about them (their record and their documents).

The audit log is not tenant-scoped by a manager (its rows survive a company's deletion), so every query
here names the company explicitly; the employee's documents come through the scoped manager.
"""

from django.contrib.auth import get_user_model
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.text import capfirst

from hrportal.audit.log import EMPLOYEE_TARGET
from hrportal.audit.models import AuditEvent

HISTORY_LIMIT = 10
DOCUMENT_TARGET = "documents.document"


def linked_requests(employee):
    """The data-subject requests linked to `employee`, open ones first and by deadline."""
    from hrportal.privacy.models import DataSubjectRequest

    return list(DataSubjectRequest.objects.filter(employee=employee).order_by("status", "due_on", "pk"))


def history(employee, *, company_id, limit=HISTORY_LIMIT):
    """The latest `limit` audit events of `company_id` about `employee` or one of their documents.

    Each event gets `actor` (the user, or None) and `field_labels` (the changed fields' names as the form
    calls them). Three queries whatever the number of events or documents.
    """
    from hrportal.documents.models import Document
    from hrportal.employees.models import Employee

    document_ids = (
        Document.objects.filter(employee=employee).annotate(target=Cast("pk", CharField())).values("target")
    )
    about = Q(target_type=EMPLOYEE_TARGET, target_id=str(employee.pk)) | Q(
        target_type=DOCUMENT_TARGET, target_id__in=document_ids
    )
    events = list(AuditEvent.objects.for_company(company_id).filter(about).order_by("-id")[:limit])
    actor_ids = {e.actor_id for e in events if e.actor_id}
    actors = {u.pk: u for u in get_user_model().objects.filter(pk__in=actor_ids)} if actor_ids else {}
    labels = {f.name: capfirst(f.verbose_name) for f in Employee._meta.concrete_fields}
    for event in events:
        event.actor = actors.get(event.actor_id)
        fields = event.details.get("fields") if isinstance(event.details, dict) else None
        if not isinstance(fields, list):
            fields = []
        event.field_labels = [str(labels.get(name, name)) for name in fields]
        event.is_document = event.target_type == DOCUMENT_TARGET
    return events
