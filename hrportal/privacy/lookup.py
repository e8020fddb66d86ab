"""Fetching a tenant object by id in a view: another company's id is a 404 *response* and is audited.

A response, not `raise Http404`: raising rolls back the request transaction, the audit event included.
"""

from django.shortcuts import render

from hrportal.audit.log import record_denied_access


def own_object(request, model, pk):
    """(object, None) when it is the company's, else (None, 404 response) - denied access audited."""
    obj = model.objects.filter(pk=pk).first()  # the default manager is scoped to the request's company
    if obj is not None:
        return obj, None
    foreign = model.unscoped.filter(pk=pk).values_list("company_id", flat=True).first()
    if foreign is not None:
        record_denied_access(request, company_id=foreign, target_type=model._meta.label_lower, target_id=pk)
    return None, render(request, "404.html", status=404)
