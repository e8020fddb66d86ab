"""The company's audit log, as its admins read it: filtered, paginated, with names put back on the ids.

The log stores ids only; names are read here, through the request's company scope, and decrypted when the
template shows them, so a name is never written into the log and an erased person stays erased.
"""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import render

from hrportal.audit.models import Action, AuditEvent
from hrportal.companies.forms import AuditFilterForm
from hrportal.tenancy import member_required


def _ids(events, target_type):
    return {int(e.target_id) for e in events if e.target_type == target_type and e.target_id.isdigit()}


def _attach_employees(events):
    """Set `event.employee` (the Employee, or "erased") on each event about an employee or their document,
    and `event.reveal_reason` (its label) on each CPR reveal."""
    from hrportal.documents.models import Document
    from hrportal.employees.forms import CprRevealReason
    from hrportal.employees.models import Employee

    events = list(events)
    document_ids = _ids(events, "documents.document")
    owner_of_document = dict(
        Document.objects.filter(pk__in=document_ids).values_list("pk", "employee_id") if document_ids else []
    )
    wanted = {}
    for event in events:
        if event.target_type == "employees.employee" and event.target_id.isdigit():
            wanted[event.pk] = int(event.target_id)
        elif event.target_type == "documents.document" and event.target_id.isdigit():
            wanted[event.pk] = owner_of_document.get(int(event.target_id), "erased")
    employee_ids = {value for value in wanted.values() if value != "erased"}
    found = {e.pk: e for e in Employee.objects.filter(pk__in=employee_ids)} if employee_ids else {}
    reasons = dict(CprRevealReason.choices)
    for event in events:
        if event.pk in wanted:
            event.employee = found.get(wanted[event.pk], "erased")
        if event.action == Action.CPR_REVEALED and event.details.get("reason"):
            event.reveal_reason = reasons.get(event.details["reason"], event.details["reason"])


@member_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.for_company(request.company.pk)
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["date_from"]:
            events = events.filter(created_at__date__gte=form.cleaned_data["date_from"])
        if form.cleaned_data["date_to"]:
            events = events.filter(created_at__date__lte=form.cleaned_data["date_to"])
    page = Paginator(events.order_by("-id"), 50).get_page(request.GET.get("page"))
    actor_ids = {e.actor_id for e in page.object_list if e.actor_id}
    actors = {u.pk: u for u in get_user_model().objects.filter(pk__in=actor_ids)}
    _attach_employees(page.object_list)
    rows = [(event, actors.get(event.actor_id)) for event in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hrportal/companies/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
