"""The PAdES seal: a completed signing's PDF validates in pyHanko and poppler's pdfsig, any change breaks it,
a seal by another key is not ours, and `/verify/` says what a code alone proves."""

import io
import shutil
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter

from hrportal.documents import services
from hrportal.documents.models import SignatureRequest
from hrportal.documents.signing import pades
from hrportal.tenancy import company_scope
from tests.factories import make_document, make_document_employee, sample_pdf_bytes
from tests.hrportal.documents.test_signing import complete_both


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def signed_pdf(admin_client, admin_user, client, company, django_capture_on_commit_callbacks):
    employee = make_document_employee(company, name="Søren Æbelø Hansen", email="soren@example.test")
    document = make_document(company, employee)
    complete_both(admin_client, admin_user, client, document, django_capture_on_commit_callbacks)
    with company_scope(company):
        document.refresh_from_db()
        with services.open_signed(document) as fh:
            return fh.read()


def pyhanko_status(data: bytes, cert_pem: bytes):
    """pyHanko's own verdict, trusting only the given certificate (not our wrapper's)."""
    embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    assert embedded, "the PDF carries no signature"
    roots = list(load_certs_from_pemder_data(cert_pem))
    # pyHanko's sync API refuses a running event loop (Playwright's, when browser tests ran in this worker).
    return pades._outside_event_loop(
        validate_pdf_signature, embedded[-1], ValidationContext(trust_roots=roots)
    )


def with_byte_flipped(data: bytes, marker: bytes) -> bytes:
    changed = bytearray(data)
    changed[data.index(marker) + len(marker) + 1] ^= 0x01
    return bytes(changed)


def with_page_added(data: bytes) -> bytes:
    """An incremental update after the seal, as a PDF editor saves a change: the sealed bytes stay, the file
    shows something else."""
    writer = PdfWriter(io.BytesIO(data), incremental=True)
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.django_db
def test_signed_pdf_carries_a_seal_over_the_whole_file_that_pyhanko_accepts(signed_pdf):
    status = pyhanko_status(signed_pdf, pades.credentials().cert_pem)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    check = pades.check_seal(signed_pdf)
    assert check.status == "valid"
    assert check.signer == "Ansatte development seal (not for production)"
    assert check.signed_at is not None
    # The verification code is still in the metadata a reader shows.
    assert b"AnsatteVerificationCode" in signed_pdf


@pytest.mark.django_db
def test_any_change_to_the_sealed_file_breaks_the_seal(signed_pdf):
    flipped = with_byte_flipped(signed_pdf, b"/AnsatteOriginalSHA256")
    assert not pyhanko_status(flipped, pades.credentials().cert_pem).intact
    assert pades.check_seal(flipped).status == "broken"
    added = with_page_added(signed_pdf)
    assert len(PdfReader(io.BytesIO(added)).pages) == len(PdfReader(io.BytesIO(signed_pdf)).pages) + 1
    assert pyhanko_status(added, pades.credentials().cert_pem).coverage != SignatureCoverageLevel.ENTIRE_FILE
    assert pades.check_seal(added).status == "broken"
    assert pades.check_seal(sample_pdf_bytes()).status == "absent"
    assert pades.check_seal(b"%PDF-1.7\n garbage \x00\xff" * 100).status == "absent"


@pytest.mark.django_db
def test_a_seal_made_with_another_key_is_not_ours(settings, tmp_path):
    key_pem, cert_pem = pades.make_self_signed_certificate("Ansatte (forged)")
    (tmp_path / "k.pem").write_bytes(key_pem)
    (tmp_path / "c.pem").write_bytes(cert_pem)
    settings.SIGNING_SEAL_KEY_FILE = str(tmp_path / "k.pem")
    settings.SIGNING_SEAL_CERT_FILE = str(tmp_path / "c.pem")
    forged = pades.seal_pdf(sample_pdf_bytes(), reason="forged")
    assert pyhanko_status(forged, cert_pem).intact  # a sound signature, by a key of its own
    settings.SIGNING_SEAL_KEY_FILE = settings.SIGNING_SEAL_CERT_FILE = ""  # back to the service's seal
    assert pades.check_seal(forged).status == "broken"


def test_a_key_that_does_not_belong_to_the_certificate_is_refused(settings, tmp_path):
    key_pem, _ = pades.make_self_signed_certificate("one")
    _, cert_pem = pades.make_self_signed_certificate("two")
    (tmp_path / "k.pem").write_bytes(key_pem)
    (tmp_path / "c.pem").write_bytes(cert_pem)
    settings.SIGNING_SEAL_KEY_FILE = str(tmp_path / "k.pem")
    settings.SIGNING_SEAL_CERT_FILE = str(tmp_path / "c.pem")
    with pytest.raises(ImproperlyConfigured, match="does not belong"):
        pades.credentials()


def test_without_files_and_without_a_self_signed_directory_there_is_no_seal(settings):
    settings.SIGNING_SEAL_KEY_FILE = settings.SIGNING_SEAL_CERT_FILE = ""
    settings.SIGNING_SEAL_SELF_SIGNED_DIR = ""
    with pytest.raises(ImproperlyConfigured, match="SIGNING_SEAL_KEY_FILE"):
        pades.credentials()


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) is not installed")
def test_poppler_pdfsig_reports_the_seal_valid_and_a_changed_file_not(signed_pdf, tmp_path):
    good, bad = tmp_path / "signed.pdf", tmp_path / "changed.pdf"
    good.write_bytes(signed_pdf)
    bad.write_bytes(with_byte_flipped(signed_pdf, b"/AnsatteOriginalSHA256"))
    report = subprocess.run(["pdfsig", str(good)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid" in report
    assert "Total document signed" in report
    assert "Signature Field Name: AnsatteSeal" in report
    changed = subprocess.run(["pdfsig", str(bad)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid" not in changed


@pytest.mark.django_db
def test_verify_shows_the_seal_for_a_file_and_what_a_code_alone_proves(client, company, signed_pdf):
    intact = client.post("/verify/", {"file": io.BytesIO(signed_pdf)}, HTTP_ACCEPT_LANGUAGE="en")
    html = intact.content.decode()
    assert "The document is intact" in html
    assert "The seal holds" in html and "Ansatte development seal" in html

    added = client.post(
        "/verify/", {"file": io.BytesIO(with_page_added(signed_pdf))}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = added.content.decode()
    assert "The document has been altered" in html and "The seal does not hold" in html

    with company_scope(company):
        code = SignatureRequest.objects.get().verification_code
    by_code = client.post("/verify/", {"code": code}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The document is intact" not in by_code
    assert "A document with this verification code was signed by all parties on" in by_code
    assert "upload the file to check it" in by_code


def test_check_deploy_stops_a_release_whose_seal_does_not_load(settings, tmp_path):
    from hrportal.documents.checks import signing_seal_configured

    settings.SIGNING_SEAL_KEY_FILE = str(tmp_path / "missing.key")
    settings.SIGNING_SEAL_CERT_FILE = str(tmp_path / "missing.crt")
    assert [m.id for m in signing_seal_configured()] == ["documents.E002"]
    settings.SIGNING_SEAL_KEY_FILE = settings.SIGNING_SEAL_CERT_FILE = ""
    assert [m.id for m in signing_seal_configured()] == ["documents.W003"]  # development's self-signed one


def test_create_seal_certificate_writes_a_pair_the_seal_accepts(settings, tmp_path):
    from django.core.management import call_command

    call_command("create_seal_certificate", str(tmp_path / "seal"), stdout=io.StringIO())
    assert oct((tmp_path / "seal" / "seal.key").stat().st_mode & 0o777) == "0o600"
    settings.SIGNING_SEAL_KEY_FILE = str(tmp_path / "seal" / "seal.key")
    settings.SIGNING_SEAL_CERT_FILE = str(tmp_path / "seal" / "seal.crt")
    sealed = pades.seal_pdf(sample_pdf_bytes(), reason="test")
    assert pades.check_seal(sealed).status == "valid"


def test_sealing_and_checking_work_inside_a_running_event_loop():
    """pyHanko's sync API calls asyncio.run(): inside a running loop (Playwright's in this test process, an
    ASGI server) it must still seal and check, not raise."""
    import asyncio

    async def inside():
        sealed = pades.seal_pdf(sample_pdf_bytes(), reason="test")
        return pades.check_seal(sealed).status

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:  # a thread of its own: this one may have a loop already
        assert pool.submit(asyncio.run, inside()).result() == "valid"


@pytest.fixture
def timestamp_service():
    """A real RFC 3161 exchange over HTTP with a local TSA (pyHanko's DummyTimeStamper answers)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import tsp
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign.timestamps import DummyTimeStamper

    key_pem, cert_pem = pades.make_self_signed_certificate("Test TSA")
    stamper = DummyTimeStamper(
        tsa_cert=next(iter(load_certs_from_pemder_data(cert_pem))),
        tsa_key=load_private_key_from_pemder_data(key_pem, passphrase=None),
    )
    requests_seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests_seen.append(self.headers["Content-Type"])
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsr", requests_seen
    server.shutdown()


def test_with_a_timestamp_service_the_seal_carries_its_timestamp(settings, timestamp_service):
    url, requests_seen = timestamp_service
    settings.SIGNING_TSA_URL = url
    sealed = pades.seal_pdf(sample_pdf_bytes(), reason="test")
    assert requests_seen and set(requests_seen) == {
        "application/timestamp-query"
    }  # (a size probe, then the stamp)
    status = pyhanko_status(sealed, pades.credentials().cert_pem)
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
    assert pades.check_seal(sealed).status == "valid"


def test_an_unreachable_timestamp_service_fails_the_seal_rather_than_omitting_the_timestamp(settings):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsr"  # the discard port: nothing answers
    from pyhanko.sign.timestamps import TimestampRequestError

    with pytest.raises(TimestampRequestError):
        pades.seal_pdf(sample_pdf_bytes(), reason="test")
