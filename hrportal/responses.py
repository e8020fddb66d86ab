"""Responses every portal app's views share, so no app's views import another's.

`own_object`: fetching a tenant object by id; another company's id is a 404 *response* and is audited (a
response, not `raise Http404`: raising rolls back the request transaction, the audit event included).
`secure_file_response`: a private file served so no browser runs, sniffs or caches it. `refuse_if_restricted`:
an employee whose processing is restricted (GDPR art. 18) gets nothing new.
"""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render

from hrportal.audit.log import record_denied_access
from hrportal.privacy.restriction import ProcessingRestricted, is_restricted
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
    with cross_company(reason="another company's id: its owner's audit log records the attempt"):
        return model.objects.filter(pk=pk).values_list("company_id", flat=True).first()


def refuse_if_restricted(request, employee):
    """A restricted employee (GDPR art. 18) gets no new documents (nor a new photo): back to their page,
    which says why.

    Checked before the form so nothing is uploaded, encrypted or rendered; the privacy module's pre_save
    guard on Document stays the last wall (PRIVACY_RESTRICTED_MODELS).
    """
    if not is_restricted(employee):
        return None
    messages.error(request, ProcessingRestricted.message)
    return redirect("portal:employees:detail", pk=employee.pk)


def secure_file_response(fileobj, filename: str, content_type: str, *, inline=False) -> FileResponse:
    """A private file: a download, or `inline` (Content-Disposition: inline) for an image shown in a page."""
    response = FileResponse(fileobj, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
