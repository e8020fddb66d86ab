"""Public pages: the employee's signing link (`/sign/<token>/`) and `/verify/`.

Outside /portal/: no login. The signing link is the credential (random, hashed at rest, expiring, dead once
used); the signature needs a 6-digit code sent to the employee. An unusable link answers 410 with the same
page whatever the reason, so the answer does not tell whether a token ever existed.

`/verify/` reveals only what a holder of the signed PDF can already read in it, and less: the company's name,
the document type, the roles, initials and times of the signatures and the hashes.
"""

import functools

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from config.requests import client_ip, hash_ip, rate_limited
from hrportal.audit.log import record
from hrportal.audit.models import Action, Outcome
from hrportal.documents import services, signing
from hrportal.documents.forms import EmailedCodeForm, SignCodeForm, VerifyForm
from hrportal.responses import secure_file_response
from hrportal.tenancy import company_scope


def _gone(request):
    return render(request, "hrportal/documents/public/link_invalid.html", status=410)


def _throttled(request, bucket: str, limit: int, window: int = 600) -> bool:
    return rate_limited(request, f"documents:{bucket}", limit, window)


LANGUAGE_CODES = {code for code, _label in settings.LANGUAGES}


def for_signer(lookup):
    """The employee's pages for one link: the signer looked up by `lookup`, or the 410 page; the page in the
    document's language.

    The employee reads a Danish advarsel with Danish instructions even on an English phone, so the
    browser's language is not asked; `?lang=` is the page's own switch, and it is carried through the code
    form and its redirect (`request.lang_query`)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, token):
            signer = lookup(token)
            if signer is None:
                response = _gone(request)
                add_never_cache_headers(response)
                return response
            chosen = request.GET.get("lang")
            language = chosen if chosen in LANGUAGE_CODES else signer.request.document.language
            request.lang_query = f"lang={language}" if chosen in LANGUAGE_CODES else ""
            with translation.override(language):
                response = view(request, token, signer)
            response.headers["Content-Language"] = language
            return response

        return wrapper

    return decorator


def _with_lang(request, url: str) -> str:
    query = getattr(request, "lang_query", "")
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _page(request, template, context, status=200):
    """A signing page, with the language switch's target (the other language, same page)."""
    language = translation.get_language()
    other = "en" if language == "da" else "da"
    return render(
        request,
        template,
        {
            **context,
            "lang_query": getattr(request, "lang_query", ""),
            "other_language": other,
            "other_language_name": translation.get_language_info(other)["name_local"],
        },
        status=status,
    )


@never_cache
@for_signer(signing.signer_for_token)
def sign(request, token, signer):
    document = signer.request.document
    form = SignCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _throttled(request, "sign", 30):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
            status = 429
        elif form.is_valid():
            try:
                signing.sign_as_employee(
                    signer, form.cleaned_data["code"], ip_hash=hash_ip(client_ip(request))
                )
            except signing.SigningError as exc:
                record(
                    Action.SIGNING_FAILED,
                    request=request,
                    company_id=signer.company_id,
                    target=document,
                    outcome=Outcome.FAILURE,
                    details={"reason": exc.reason, "role": "employee"},
                )
                form.add_error("code", exc.message)
                status = 400
            else:
                record(
                    Action.DOCUMENT_SIGNED,
                    request=request,
                    company_id=signer.company_id,
                    target=document,
                    details={"role": "employee"},
                )
                with company_scope(signer.company):
                    signer.request.refresh_from_db()
                    completed = signer.request.status == "completed"
                if completed:
                    record(
                        Action.SIGNING_COMPLETED,
                        request=request,
                        company_id=signer.company_id,
                        target=document,
                    )
                return _page(
                    request,
                    "hrportal/documents/public/signed.html",
                    {"company": signer.company, "completed": completed},
                )
        else:
            status = 400
    return _page(
        request,
        "hrportal/documents/public/sign.html",
        {
            "signer": signer,
            "document": document,
            "company": signer.company,
            "form": form,
            "token": token,
            "code_sent": bool(signer.code_hash),
            "destination": signing.signer_destination(signer),
        },
        status=status,
    )


@never_cache
@require_POST
@for_signer(signing.signer_for_token)
def sign_send_code(request, token, signer):
    try:
        if _throttled(request, "code", 10):
            raise signing.SigningError("throttled", _("Too many codes were sent. Try again in an hour."))
        signing.send_code(signer)
    except signing.SigningError as exc:
        return _page(
            request,
            "hrportal/documents/public/sign.html",
            {
                "signer": signer,
                "document": signer.request.document,
                "company": signer.company,
                "form": SignCodeForm(),
                "token": token,
                "code_error": exc.message,
                "destination": signing.signer_destination(signer),
            },
            status=429,
        )
    record(
        Action.SIGNING_CODE_SENT,
        request=request,
        company_id=signer.company_id,
        target=signer.request.document,
        details=signing.signer_destination(signer).audit_details(),
    )
    return redirect(_with_lang(request, f"/sign/{token}/?sent=1"))


@for_signer(signing.signer_for_token)
def sign_document(request, token, signer):
    """The document to be signed, for the employee to read (download, with the portal's safe headers).

    Not `never_cache`: it would rewrite the file's `Cache-Control: private, no-store` into its own longer
    value; the refusal page gets the never-cache headers instead. Each download is audited like the
    portal's, with the employee as the one who downloaded.
    """
    return _employee_download(request, signer, signed=False)


def _employee_download(request, signer, *, signed: bool):
    """The employee's download of the original or the signed PDF, audited like the portal's."""
    document = signer.request.document
    with company_scope(signer.company):
        fileobj = services.open_signed(document) if signed else services.open_original(document)
    record(
        Action.DOCUMENT_DOWNLOADED,
        request=request,
        company_id=signer.company_id,
        target=document,
        details={"variant": "signed" if signed else "original", "role": "employee"},
    )
    if signed:
        return secure_file_response(fileobj, document.download_name(signed=True), "application/pdf")
    return secure_file_response(fileobj, document.download_name(), document.content_type)


@never_cache
def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if _throttled(request, "verify", settings.VERIFY_MAX_PER_10_MINUTES):
            form.add_error(None, _("Too many checks. Wait a few minutes and try again."))
            status = 429
        elif form.is_valid():
            upload = form.cleaned_data.get("file")
            if upload is not None:
                if upload.size > settings.DOCUMENT_MAX_UPLOAD_BYTES + 1024 * 1024:
                    form.add_error("file", _("The file is too large."))
                    status = 400
                else:
                    result = signing.verify_uploaded_pdf(upload)
            else:
                result = signing.verify_code_lookup(form.cleaned_data["code"])
            if result is not None and result.request is not None:
                record(
                    Action.DOCUMENT_VERIFIED,
                    request=request,
                    company_id=result.request.company_id,
                    target=result.document,
                    details={"result": result.status, "by": "file" if upload is not None else "verification"},
                )
        else:
            status = 400
    return render(
        request, "hrportal/documents/public/verify.html", {"form": form, "result": result}, status=status
    )


def _copy_page(request, signer, token, form, *, status=200, code_error=""):
    response = _page(
        request,
        "hrportal/documents/public/copy.html",
        {
            "signer": signer,
            "document": signer.request.document,
            "company": signer.company,
            "form": form,
            "token": token,
            "code_sent": bool(signer.code_hash),
            "code_error": code_error,
            "destination": signing.signer_destination(signer),
            "expires": signer.token_expires_at,
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response


@for_signer(signing.signer_for_copy)
def sign_copy(request, token, signer):
    """The employee's signed copy, for 30 days after completion, behind a code e-mailed to them: the link
    alone (in a forwarded e-mail, a shared inbox) does not hand out the document."""
    form = EmailedCodeForm(request.POST or None)
    if request.method != "POST":
        return _copy_page(request, signer, token, form)
    if _throttled(request, "copy", 30):
        form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
        return _copy_page(request, signer, token, form, status=429)
    if not form.is_valid():
        return _copy_page(request, signer, token, form, status=400)
    try:
        signing.open_signed_copy(signer, form.cleaned_data["code"])
    except signing.SigningError as exc:
        form.add_error("code", exc.message)
        with company_scope(signer.company):  # only the code's state: the related rows stay as looked up
            signer.refresh_from_db(fields=["code_hash", "code_expires_at", "code_attempts"])
        return _copy_page(request, signer, token, form, status=400)
    return _employee_download(request, signer, signed=True)


@require_POST
@for_signer(signing.signer_for_copy)
def sign_copy_code(request, token, signer):
    try:
        if _throttled(request, "code", 10):
            raise signing.SigningError("throttled", _("Too many codes were sent. Try again in an hour."))
        signing.send_code(signer, purpose="copy")
    except signing.SigningError as exc:
        return _copy_page(request, signer, token, EmailedCodeForm(), status=429, code_error=exc.message)
    record(
        Action.SIGNING_CODE_SENT,
        request=request,
        company_id=signer.company_id,
        target=signer.request.document,
        details={**signing.signer_destination(signer).audit_details(), "purpose": "copy"},
    )
    return redirect(_with_lang(request, f"/sign/{token}/copy/"))
