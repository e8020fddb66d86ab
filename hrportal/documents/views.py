"""Portal views for employment documents: list, upload, create from a template, download, void, signing.

Thin: rules live in `validation`, `services`, `templating`, `notice` and `signing`. Every object is looked
up through the tenant-scoped manager; another company's id answers 404 (as a response, so the audit row
recording the attempt is kept) and is audited for that company.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.requests import client_ip, hash_ip
from hrportal.audit.log import record, record_denied_access, record_read
from hrportal.audit.models import Action, Outcome
from hrportal.documents import notice, services, signing, templating
from hrportal.documents.forms import SendForSignatureForm, SignCodeForm, UploadForm, VoidForm
from hrportal.documents.models import Document, DocumentKind, SignatureRequest, Signer
from hrportal.documents.validation import RejectedUpload
from hrportal.employees.models import Employee
from hrportal.masking import mask_email, mask_phone
from hrportal.responses import owner_of, refuse_if_restricted, secure_file_response
from hrportal.tenancy import company_required

DOCUMENTS_PER_PAGE = 25


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


def contract_warning(employee, documents=None):
    """The ansættelsesbevis deadline state for an active employee without a contract, else None."""
    if not employee.is_active:
        return None
    if employee.weekly_hours is not None and employee.weekly_hours <= 3:
        return None  # the act applies above 3 hours a week on average
    if documents is None:
        has_contract = (
            Document.objects.filter(employee=employee, kind=DocumentKind.CONTRACT)
            .exclude(status=Document.Status.VOID)
            .exists()
        )
    else:
        has_contract = any(d.kind == DocumentKind.CONTRACT and not d.is_void for d in documents)
    if has_contract:
        return None
    return notice.contract_deadline(employee.start_date, timezone.localdate())


# --- lists -----------------------------------------------------------------------------------------------


@company_required
def document_list(request):
    documents = Document.objects.select_related("employee").order_by("-document_date", "-id")
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    employees = sorted(Employee.objects.all(), key=lambda e: e.name.lower())
    return render(request, "hrportal/documents/list.html", {"page": page, "employees": employees})


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
            "deadline": contract_warning(employee, documents),
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
                company=request.company,
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
                company=request.company,
                target=document,
                details={"kind": document.kind, "content_type": document.content_type, "size": document.size},
            )
            messages.success(request, _("The document was uploaded and stored encrypted."))
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
    initial = templating.initial_for(spec, employee, request.company)
    form = spec.form_class(request.POST or None, initial=initial, employee=employee)
    preview = None
    context = {"employee": employee, "form": form, "spec": spec, "title": templating.TITLES[spec.slug]}
    if spec.slug == "warning":
        context["earlier_warnings"] = templating.earlier_warnings(employee)
    if request.method == "POST":
        if not form.is_valid():
            missing = [form.fields[name].label for name in form.errors if name in form.fields]
            context["missing"] = missing
            return render(request, "hrportal/documents/new.html", context, status=400)
        data = form.cleaned_data
        if spec.slug == "termination":
            context["notice"] = notice.employer_notice(data["start_date"], data["notice_date"])
        if "create" not in request.POST:
            preview = templating.render_preview_html(spec, data, employee, request.company)
            context["preview"] = preview
            return render(request, "hrportal/documents/new.html", context)
        pdf_bytes = templating.render_document_pdf(spec, data, employee, request.company)
        document = services.create_from_pdf(
            employee=employee,
            kind=spec.kind,
            title=templating.TITLES[spec.slug][data["language"]],
            document_date=data["document_date"],
            pdf=pdf_bytes,
            template_name=spec.slug,
            template_version=spec.version,
            language=data["language"],
            user=request.user,
        )
        record(
            Action.DOCUMENT_CREATED,
            request=request,
            company=request.company,
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
    pending = document.signature_requests.filter(status=SignatureRequest.Status.PENDING).first()
    completed = document.signature_requests.filter(status=SignatureRequest.Status.COMPLETED).first()
    current = pending or completed
    signers = list(current.signers.select_related("signature").all()) if current else []
    company_signer = next((s for s in signers if s.role == Signer.Role.COMPANY), None)
    can_sign = (
        pending is not None
        and company_signer is not None
        and company_signer.signature_or_none is None
        and not request.via_mandate
    )
    employee = document.employee
    record_read(
        Action.DOCUMENT_VIEWED,
        request=request,
        company=request.company,
        employee=employee,
        details={"document_id": document.pk},
    )
    send_form = SendForSignatureForm(employee=employee)
    # Where the employee's link and code would go: the employee record only, shown masked.
    send_destination = {
        "email": mask_email(employee.email) if employee.email else "",
        "phone": mask_phone(employee.phone) if employee.phone else "",
    }
    for signer in signers:
        destination = signing.signer_destination(signer)
        signer.masked_destination = destination.masked if destination else ""
    return render(
        request,
        "hrportal/documents/detail.html",
        {
            "document": document,
            "request_obj": current,
            "signers": signers,
            "can_send": document.is_pdf and not document.is_void and current is None,
            "can_sign": can_sign,
            "send_form": send_form,
            "send_destination": send_destination,
            "sign_form": SignCodeForm(),
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
        company=request.company,
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
        record(Action.DOCUMENT_VOIDED, request=request, company=request.company, target=document)
        messages.success(request, _("The document is void. It stays in the list, marked as void."))
        return redirect("portal:document_detail", document_id=document.pk)
    return render(request, "hrportal/documents/void.html", {"document": document, "form": form})


# --- signing -------------------------------------------------------------------------------------------


@company_required
def document_send(request, document_id):
    document = _document(document_id)
    if document is None:
        return _not_found(request, Document, document_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # No address is read from the request: the employee's link and code go to the employee record only.
    form = SendForSignatureForm(request.POST, employee=document.employee)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("portal:document_detail", document_id=document.pk)
    data = form.cleaned_data
    try:
        sig_request = signing.send_for_signature(
            document,
            user=request.user,
            employee_signs=data["employee_signs"],
            company_signs=data["company_signs"],
            channel=data["channel"],
            base_url=f"{request.scheme}://{request.get_host()}",
        )
    except signing.SigningError as exc:
        messages.error(request, exc.message)
        return redirect("portal:document_detail", document_id=document.pk)
    details = {
        "request": sig_request.pk,
        "employee": data["employee_signs"],
        "company_signs": data["company_signs"],
    }
    employee_signer = sig_request.signers.filter(role=Signer.Role.EMPLOYEE).first()
    if employee_signer is not None:
        details.update(signing.signer_destination(employee_signer).audit_details())
    record(
        Action.SIGNATURE_REQUESTED,
        request=request,
        company=request.company,
        target=document,
        details=details,
    )
    messages.success(request, _("The document was sent for signature."))
    return redirect("portal:document_detail", document_id=document.pk)


@company_required
def document_sign(request, document_id):
    document = _document(document_id)
    if document is None:
        return _not_found(request, Document, document_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.via_mandate:
        messages.error(request, _("Provider staff cannot sign on the company's behalf."))
        return redirect("portal:document_detail", document_id=document.pk)
    sig_request = document.signature_requests.filter(status=SignatureRequest.Status.PENDING).first()
    form = SignCodeForm(request.POST)
    if sig_request is None:
        messages.error(request, _("The document is not awaiting signatures."))
        return redirect("portal:document_detail", document_id=document.pk)
    if not form.is_valid():
        messages.error(request, _("Enter a code from your authenticator app and confirm that you sign."))
        return redirect("portal:document_detail", document_id=document.pk)
    try:
        signing.sign_as_company(
            sig_request,
            user=request.user,
            code=form.cleaned_data["code"],
            ip_hash=hash_ip(client_ip(request)),
        )
    except signing.SigningError as exc:
        record(
            Action.SIGNING_FAILED,
            request=request,
            company=request.company,
            target=document,
            outcome=Outcome.FAILURE,
            details={"reason": exc.reason, "role": "company"},
        )
        messages.error(request, exc.message)
        return redirect("portal:document_detail", document_id=document.pk)
    record(
        Action.DOCUMENT_SIGNED,
        request=request,
        company=request.company,
        target=document,
        details={"role": "company"},
    )
    sig_request.refresh_from_db()
    if sig_request.status == SignatureRequest.Status.COMPLETED:
        record(Action.SIGNING_COMPLETED, request=request, company=request.company, target=document)
        messages.success(request, _("Signed by all parties. The signed PDF is ready."))
    else:
        messages.success(request, _("You signed the document on the company's behalf."))
    return redirect(reverse("portal:document_detail", kwargs={"document_id": document.pk}))
