"""Portal views for employment documents: list, upload, create from a template, download, void.

Thin: rules live in `validation`, `services`, `templating`, `notice` and `signing` (whose portal views, the
company's side of signing, are `signing_views`). Every object is looked up through the tenant-scoped
manager; another company's id answers 404 (as a response, so the audit row recording the attempt is kept)
and is audited for that company.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrportal.audit.log import record, record_denied_access, record_read
from hrportal.audit.models import Action, Outcome
from hrportal.documents import contract_check, services, signing, templating
from hrportal.documents.forms import (
    ContractItemsForm,
    SendForSignatureForm,
    SignCodeForm,
    UploadForm,
    VoidForm,
)
from hrportal.documents.models import Document, DocumentKind
from hrportal.documents.validation import RejectedUpload
from hrportal.employees.models import Employee
from hrportal.responses import owner_of, refuse_if_restricted, secure_file_response
from hrportal.tenancy import company_required

DOCUMENTS_PER_PAGE = 25
CONTRACTS_PER_PAGE = 25


# --- lookups ---------------------------------------------------------------------------------------------


def _not_found(request, model, object_id):
    """404 for an id outside the company; audited for the company that owns it (if any)."""
    owner = owner_of(model, object_id)
    if owner is not None and owner != getattr(request.company, "pk", None):
        label = model._meta.label_lower
        record_denied_access(request, company_id=owner, target_type=label, target_id=object_id)
    return render(request, "404.html", status=404)


def _employee(employee_id):
    return Employee.objects.filter(pk=employee_id).first()


def _document(document_id):
    return Document.objects.select_related("employee").filter(pk=document_id).first()


# --- lists -----------------------------------------------------------------------------------------------


@company_required
def document_list(request):
    """All documents, newest first; `?status=awaiting` (the dashboard's count links here) and the other
    statuses show only those. An unknown status shows all."""
    documents = Document.objects.select_related("employee").order_by("-document_date", "-id")
    status = request.GET.get("status", "")
    statuses = dict(Document.Status.choices)
    if status in statuses:
        documents = documents.filter(status=status)
    else:
        status = ""
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    employees = sorted(Employee.objects.all(), key=lambda e: e.name.lower())
    return render(
        request,
        "hrportal/documents/list.html",
        {
            "page": page,
            "employees": employees,
            "status": status,
            "status_label": statuses.get(status, ""),
            "query": f"status={status}" if status else "",
        },
    )


@company_required
def employee_documents(request, employee_id):
    employee = _employee(employee_id)
    if employee is None:
        return _not_found(request, Employee, employee_id)
    documents = list(Document.objects.filter(employee=employee).order_by("-document_date", "-id"))
    return render(
        request,
        "hrportal/documents/employee_documents.html",
        {
            "employee": employee,
            "documents": documents,
            "deadline": services.contract_warning(employee, documents),
            "contract_status": contract_check.employee_status(employee, documents),
            "templates": templating.TEMPLATES.values(),
        },
    )


# --- upload --------------------------------------------------------------------------------------------


@company_required
def document_upload(request, employee_id):
    employee = _employee(employee_id)
    if employee is None:
        return _not_found(request, Employee, employee_id)
    if refused := refuse_if_restricted(request, employee):
        return refused
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.ingest_upload(
                employee=employee,
                kind=data["kind"],
                title=data["title"],
                document_date=data["document_date"],
                uploaded=data["file"],
                user=request.user,
                idempotency_key=data["idempotency_key"] or "",
            )
        except RejectedUpload as exc:
            record(
                Action.DOCUMENT_UPLOAD_REJECTED,
                request=request,
                target=employee,
                outcome=Outcome.FAILURE,
                details={"reason": exc.reason, "size": data["file"].size},
            )
            form.add_error("file", exc.message)
            status = 400
        else:
            if getattr(document, "already_uploaded", False):
                if document.employee_id != employee.pk:  # the key of another employee's form: refuse
                    form.add_error(None, _("This form was already used. Open the upload page again."))
                    return render(
                        request,
                        "hrportal/documents/upload.html",
                        {"employee": employee, "form": form},
                        status=409,
                    )
                messages.info(request, _("This upload was already stored; here is the document."))
                return redirect("portal:document_detail", document_id=document.pk)
            record(
                Action.DOCUMENT_UPLOADED,
                request=request,
                target=document,
                details={"kind": document.kind, "content_type": document.content_type, "size": document.size},
            )
            messages.success(request, _("The document was uploaded and stored encrypted."))
            if document.kind == DocumentKind.CONTRACT:
                messages.info(request, _("Now tick the items of the act the contract states."))
            return redirect("portal:document_detail", document_id=document.pk)
    return render(
        request, "hrportal/documents/upload.html", {"employee": employee, "form": form}, status=status
    )


# --- create from a template ----------------------------------------------------------------------------


@company_required
def document_new(request, employee_id, template):
    employee = _employee(employee_id)
    if employee is None:
        return _not_found(request, Employee, employee_id)
    if refused := refuse_if_restricted(request, employee):
        return refused
    spec = templating.TEMPLATES.get(template)
    if spec is None:
        return render(request, "404.html", status=404)
    language = request.GET.get("language", "da")
    if language not in templating.LANGUAGE_CODES:
        language = "da"
    initial = templating.initial_for(spec, employee, request.company, language)
    data = spec.follow_language(request.POST, employee, request.company) if request.method == "POST" else None
    form = spec.form_class(data, initial=initial, employee=employee)
    valid = request.method == "POST" and form.is_valid()
    context = {
        "employee": employee,
        "form": form,
        "spec": spec,
        "title": {language: spec.title(language) for language in ("da", "en")},
        **templating.form_page_context(spec, employee, form.cleaned_data if valid else None),
    }
    if request.method == "POST":
        if not valid:
            context["missing"] = [form.fields[name].label for name in form.errors if name in form.fields]
            return render(request, "hrportal/documents/new.html", context, status=400)
        data = form.cleaned_data
        if "create" not in request.POST:
            context["preview"] = templating.render_preview_html(spec, data, employee, request.company)
            return render(request, "hrportal/documents/new.html", context)
        document = templating.create_document(spec, data, employee, request.company, user=request.user)
        record(
            Action.DOCUMENT_CREATED,
            request=request,
            target=document,
            details={"template": spec.slug, "version": spec.version, "language": data["language"]},
        )
        messages.success(request, _("The document was created and stored encrypted."))
        return redirect("portal:document_detail", document_id=document.pk)
    return render(request, "hrportal/documents/new.html", context)


# --- one document --------------------------------------------------------------------------------------


@company_required
def document_detail(request, document_id):
    document = _document(document_id)
    if document is None:
        return _not_found(request, Document, document_id)
    status = signing.signing_status(document)
    employee = document.employee
    contract_status = None
    if document.kind == DocumentKind.CONTRACT:
        contract_status = contract_check.status_for(employee, document, timezone.localdate())
    record_read(
        Action.DOCUMENT_VIEWED,
        request=request,
        employee=employee,
        details={"document_id": document.pk},
    )
    return render(
        request,
        "hrportal/documents/detail.html",
        {
            "document": document,
            "request_obj": status.request,
            "signers": status.signers,
            "can_send": status.can_send,
            "can_sign": status.company_can_sign and not request.via_mandate,
            "send_form": SendForSignatureForm(employee=employee),
            # Where the employee's link and code would go: the employee record only, shown masked.
            "send_destination": signing.masked_record_destinations(employee),
            "sign_form": SignCodeForm(),
            "contract_status": contract_status,
        },
    )


def _download(request, document_id, *, signed: bool):
    document = _document(document_id)
    if document is None or (signed and not document.signed_storage_name):
        return _not_found(request, Document, document_id)
    fileobj = services.open_signed(document) if signed else services.open_original(document)
    record(
        Action.DOCUMENT_DOWNLOADED,
        request=request,
        target=document,
        details={"variant": "signed" if signed else "original"},
    )
    content_type = "application/pdf" if signed else document.content_type
    return secure_file_response(fileobj, document.download_name(signed=signed), content_type)


@company_required
def document_download(request, document_id):
    return _download(request, document_id, signed=False)


@company_required
def document_download_signed(request, document_id):
    return _download(request, document_id, signed=True)


@company_required
def document_void(request, document_id):
    document = _document(document_id)
    if document is None:
        return _not_found(request, Document, document_id)
    if document.is_void:
        messages.info(request, _("The document is already void."))
        return redirect("portal:document_detail", document_id=document.pk)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.void_document(document, user=request.user, reason=form.cleaned_data["reason"])
        record(Action.DOCUMENT_VOIDED, request=request, target=document)
        messages.success(request, _("The document is void. It stays in the list, marked as void."))
        return redirect("portal:document_detail", document_id=document.pk)
    return render(request, "hrportal/documents/void.html", {"document": document, "form": form})


# --- the ansættelsesbevis check ------------------------------------------------------------------------


@company_required
def contract_overview(request):
    """Current employees whose contract is missing or lacks items of the act, most urgent first."""
    statuses = contract_check.overview()
    page = Paginator(statuses, CONTRACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "hrportal/documents/contracts.html",
        {"page": page, "soon_days": contract_check.SOON_DAYS},
    )


@company_required
def contract_items(request, document_id):
    """Which items of the act a contract states: ticked by the admin for an uploaded file, shown (not
    editable) for one made in the portal or a void one. Every change is audited with the keys; the form
    carries the version it showed, so a second admin's save does not silently overwrite the first's."""
    document = _contract(document_id)
    if document is None:
        return _not_found(request, Document, document_id)
    employee = document.employee
    editable = document.source == Document.Source.UPLOAD and not document.is_void

    def page(form, status=200):
        today = timezone.localdate()
        context = {
            "document": document,
            "employee": employee,
            "form": form,
            "editable": editable,
            "status": contract_check.status_for(employee, document, today),
        }
        return render(request, "hrportal/documents/contract_items.html", context, status=status)

    def saved_form():
        coverage = contract_check.coverage_of(document)
        return ContractItemsForm(
            initial={
                "items": coverage.items if coverage else [],
                "version": coverage.version if coverage else 0,
            }
        )

    if request.method != "POST":
        return page(saved_form())
    if not editable:
        messages.error(request, _("The items of this contract cannot be changed here."))
        return redirect("portal:document_contract_items", document_id=document.pk)
    if refused := refuse_if_restricted(request, employee):
        return refused
    form = ContractItemsForm(request.POST)
    if not form.is_valid():
        return page(form, status=400)
    try:
        added, removed = services.set_contract_items(
            document, form.cleaned_data["items"], user=request.user, based_on=form.cleaned_data["version"]
        )
    except services.StaleContractItems:
        document = _contract(document.pk)
        form = saved_form()
        form.stale = True
        return page(form, status=409)
    if added or removed:
        record(
            Action.CONTRACT_ITEMS_CHANGED,
            request=request,
            target=document,
            details={"added": added, "removed": removed},
        )
    missing = len(document.coverage.missing)
    if missing:
        text = ngettext(
            "Saved. %(count)d item of the act is still missing from this contract.",
            "Saved. %(count)d items of the act are still missing from this contract.",
            missing,
        )
        messages.warning(request, text % {"count": missing})
    else:
        messages.success(request, _("Saved. The contract states every item of the act."))
    return redirect("portal:document_contract_items", document_id=document.pk)


def _contract(document_id):
    document = Document.objects.select_related("employee", "coverage").filter(pk=document_id).first()
    return document if document is not None and document.kind == DocumentKind.CONTRACT else None
