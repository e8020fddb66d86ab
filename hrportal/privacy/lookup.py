"""Fetching a tenant object by id in a view: another company's id is a 404 *response* and is audited.

A response, not `raise Http404`: raising rolls back the request transaction, the audit event included.
"""

from django.shortcuts import render

from hrportal.audit.log import record_denied_access
from hrportal.tenancy import cross_company


def own_object(request, model, pk):
    """(object, None) when it is the company's, else (None, 404 response) - denied access audited."""
    obj = model.objects.filter(pk=pk).first()  # the default manager is scoped to the request's company
    if obj is not None:
        return obj, None
    foreign = owner_of(model, pk)
    if foreign is not None and foreign != getattr(request.company, "pk", None):
        record_denied_access(request, company_id=foreign, target_type=model._meta.label_lower, target_id=pk)
    return None, render(request, "404.html", status=404)


def owner_of(model, pk):
    """The company id of another company's row, so the denied attempt is audited where it belongs."""
    with cross_company(
        reason="an id outside the request's company: its owner's audit log records the attempt"
    ):
        return model.objects.filter(pk=pk).values_list("company_id", flat=True).first()
