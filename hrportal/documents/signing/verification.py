"""`/verify/`: does a verification code or an uploaded PDF match a document signed here, and is it intact?

A holder of a signed document (a bank, a new employer, the employee) must learn whether the file they hold
is the one both parties signed, whether it was altered, and whether the company has since voided it.
"""

import re
from dataclasses import dataclass

from hrportal.documents import storage
from hrportal.documents.models import Document, Signature, SignatureRequest
from hrportal.documents.signing import lookup, pades
from hrportal.documents.signing.codes import normalise_verification_code
from hrportal.tenancy import company_scope


@dataclass
class VerificationResult:
    # "intact" (the uploaded file is the signed PDF), "altered", "voided", "unknown"; "signed" for a code
    # alone, which proves that a document with that code was signed, not that any file is unchanged.
    status: str
    request: SignatureRequest | None = None
    document: Document | None = None
    signatures: list | None = None
    uploaded_sha256: str = ""
    seal: pades.SealCheck | None = None  # an uploaded file's PAdES seal, checked on its own


def _result_for(
    request: SignatureRequest | None, status: str, uploaded_sha256: str = "", seal=None
) -> VerificationResult:
    if request is None:
        return VerificationResult(status="unknown", uploaded_sha256=uploaded_sha256, seal=seal)
    with company_scope(request.company):
        signatures = list(Signature.objects.filter(signer__request=request).order_by("signed_at", "id"))
    return VerificationResult(
        status=status,
        request=request,
        document=request.document,
        signatures=signatures,
        uploaded_sha256=uploaded_sha256,
        seal=seal,
    )


def verify_code_lookup(code: str) -> VerificationResult:
    """ "signed" for the code of a signed document; voided when the company has since withdrawn it. Never
    "intact": a code says nothing about the file its holder has."""
    request = lookup.completed_request(verification_code=normalise_verification_code(code))
    if request is None:
        return VerificationResult(status="unknown")
    return _result_for(request, "voided" if request.document.is_void else "signed")


_CODE_IN_PDF = re.compile(rb"([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})")
_CODE_IN_METADATA = re.compile(rb"/AnsatteVerificationCode\s*\(([A-Z2-9]{16})\)")


def verify_uploaded_pdf(fileobj) -> VerificationResult:
    """Intact when the file is byte for byte the signed PDF we produced; altered when it carries one of our
    verification codes but differs; unknown otherwise. A signed document the company has since voided is
    "voided" either way: the holder must learn that it no longer stands, not that the file changed.

    The PAdES seal is checked on its own as well (`seal`): it is what a PDF reader shows the holder, so the
    page says whether it holds; a file we sealed that no longer matches its seal is never "intact"."""
    sha = storage.sha256_of(fileobj)
    fileobj.seek(0)
    seal = pades.check_seal(fileobj.read())
    fileobj.seek(0)
    request = lookup.completed_request_for_signed_file(sha)
    if request is not None:
        return _result_for(request, "voided" if request.document.is_void else "intact", sha, seal)
    for code in _codes_in(fileobj):
        request = lookup.completed_request(verification_code=code)
        if request is not None:
            return _result_for(request, "voided" if request.document.is_void else "altered", sha, seal)
    return VerificationResult(status="unknown", uploaded_sha256=sha, seal=seal)


def _codes_in(fileobj) -> list[str]:
    """Verification codes found in the raw bytes (metadata) or, failing that, in the text of the pages."""
    fileobj.seek(0)
    found: list[str] = []
    tail = b""
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        buffer = tail + chunk
        matches = [*_CODE_IN_METADATA.finditer(buffer), *_CODE_IN_PDF.finditer(buffer)]
        for match in matches:
            code = normalise_verification_code(match.group(1).decode())
            if code not in found:
                found.append(code)
        tail = chunk[-64:]
    if found:
        return found[:10]
    try:
        from pypdf import PdfReader

        fileobj.seek(0)
        reader = PdfReader(fileobj, strict=False)
        text = " ".join((page.extract_text() or "") for page in reader.pages[-2:])
        found = list(dict.fromkeys(_CODE_IN_PDF.findall(text.encode("latin-1", "replace"))))
        return [c.decode() for c in found][:10]
    except Exception:  # any unreadable file simply carries no code
        return []
    finally:
        fileobj.seek(0)
