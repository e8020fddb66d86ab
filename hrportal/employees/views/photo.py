"""An employee's photo: shown decrypted to the company's own users, changed or removed with an audit event.

A restricted employee (GDPR art. 18) gets no new photo and keeps the one they have until the restriction
is lifted; that is checked before anything is uploaded or read. Storing and re-encoding the image is
`hrportal.employees.photos`.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hrportal.audit.log import record
from hrportal.audit.models import Action, Outcome
from hrportal.documents.validation import RejectedUpload
from hrportal.employees import photos
from hrportal.employees.forms import PhotoForm
from hrportal.employees.models import Employee
from hrportal.employees.views import employee_view
from hrportal.responses import own_object, refuse_if_restricted, secure_file_response


def _photo_employee(request, pk, *, change=False):
    """(employee, None), or (None, response): another company's id is a 404 (audited for it); for a change,
    a restricted employee (GDPR art. 18) goes back to their page, before anything is uploaded or read."""
    employee, refused = own_object(request, Employee, pk)
    if employee is not None and change:
        refused = refuse_if_restricted(request, employee)
    return (None, refused) if refused else (employee, None)


def _record_photo_change(request, employee, *, outcome=Outcome.SUCCESS, **details):
    """Audited like every employee change: the field changed and what happened, never the image."""
    record(
        Action.EMPLOYEE_CHANGED,
        request=request,
        target=employee,
        outcome=outcome,
        details={"fields": ["photo"], **details},
    )


@employee_view
def employee_photo(request, pk):
    """The photo, decrypted, for the <img> on the employee's page (the middleware adds no-store)."""
    employee, refused = _photo_employee(request, pk)
    if refused:
        return refused
    if not employee.photo_storage_name:
        return render(request, "404.html", status=404)
    fileobj, content_type = photos.open_photo(employee)
    return secure_file_response(fileobj, photos.filename(content_type), content_type, inline=True)


@employee_view
@require_http_methods(["GET", "POST"])
def employee_photo_edit(request, pk):
    """Add or replace the photo. A refused file is audited (the reason, no content) and nothing is stored."""
    employee, refused = _photo_employee(request, pk, change=True)
    if refused:
        return refused
    posted = request.method == "POST"
    form = PhotoForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        uploaded = form.cleaned_data["photo"]
        try:
            with transaction.atomic():
                _record_photo_change(request, employee, photo=photos.set_photo(employee, uploaded))
        except RejectedUpload as exc:
            _record_photo_change(
                request, employee, outcome=Outcome.FAILURE, reason=exc.reason, size=uploaded.size
            )
            form.add_error("photo", exc.message)
        else:
            messages.success(request, _("The photo was saved."))
            return redirect("portal:employees:detail", pk=employee.pk)
    context = {"form": form, "employee": employee}
    return render(request, "hrportal/employees/photo.html", context, status=400 if posted else 200)


@employee_view
@require_http_methods(["GET", "POST"])
def employee_photo_remove(request, pk):
    """Remove the photo after a confirmation page; audited."""
    employee, refused = _photo_employee(request, pk, change=True)
    if refused:
        return refused
    if not employee.photo_storage_name:
        messages.info(request, _("The employee has no photo."))
        return redirect("portal:employees:detail", pk=employee.pk)
    if request.method == "POST":
        with transaction.atomic():
            photos.remove_photo(employee)
            _record_photo_change(request, employee, photo="removed")
        messages.success(request, _("The photo was removed."))
        return redirect("portal:employees:detail", pk=employee.pk)
    return render(request, "hrportal/employees/photo_remove.html", {"employee": employee})
