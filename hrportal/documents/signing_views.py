"""Portal views for the company's side of signing: send a document for signature, sign on its behalf.

Apart from the document views because signing has its own rules and audit trail; the employee's side is
`public_views` (the `/sign/` link). Thin: the rules live in `signing`.
"""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from config.requests import client_ip, hash_ip
from hrportal.audit.log import record
from hrportal.audit.models import Action, Outcome
from hrportal.documents import signing
from hrportal.documents.forms import SendForSignatureForm, SignCodeForm
from hrportal.documents.models import Document, SignatureRequest
from hrportal.documents.views import _document, _not_found
from hrportal.tenancy import company_required


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
    record(
        Action.SIGNATURE_REQUESTED,
        request=request,
        target=document,
        details=signing.sent_audit_details(sig_request),
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
            target=document,
            outcome=Outcome.FAILURE,
            details={"reason": exc.reason, "role": "company"},
        )
        messages.error(request, exc.message)
        return redirect("portal:document_detail", document_id=document.pk)
    record(
        Action.DOCUMENT_SIGNED,
        request=request,
        target=document,
        details={"role": "company"},
    )
    sig_request.refresh_from_db()
    if sig_request.status == SignatureRequest.Status.COMPLETED:
        record(Action.SIGNING_COMPLETED, request=request, target=document)
        messages.success(request, _("Signed by all parties. The signed PDF is ready."))
    else:
        messages.success(request, _("You signed the document on the company's behalf."))
    return redirect(reverse("portal:document_detail", kwargs={"document_id": document.pk}))
