"""Uploads against a REAL clamd (Debian's clamav-daemon), with local signatures and no network.

freshclam cannot run offline, so the test writes its own database: `sigtool --md5` of the EICAR test file
(a .hdb, a whole-file hash, as an operator would add a local signature) and a body signature of the EICAR
string (a .ndb, so the string is found inside a PDF, as the attacker's upload had it). clamd runs with a
temporary config, database folder and socket, and is stopped after the module. Skipped with a message when
clamd is not installed; CI (.ci/run) installs clamav-daemon, and with CI set a missing clamd fails.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrportal.audit.models import Action, AuditEvent
from hrportal.documents import scanning
from hrportal.documents.models import Document
from hrportal.documents.validation import RejectedUpload
from hrportal.tenancy import company_scope
from tests.factories import make_document_employee, sample_pdf_bytes

# The EICAR anti-virus test file (harmless by design; every scanner must detect it).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _clamd_binary():
    return shutil.which("clamd") or next(
        (p for p in ("/usr/sbin/clamd", "/usr/bin/clamd") if os.access(p, os.X_OK)), None
    )


def _ping(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(path)
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def real_clamd():
    clamd, sigtool = _clamd_binary(), shutil.which("sigtool")
    if not clamd or not sigtool:
        message = "clamd/sigtool not installed (apt-get install -y clamav-daemon): real-ClamAV tests skipped"
        if os.environ.get("CI"):
            pytest.fail("CI is set but " + message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="clamd-", dir="/tmp"))  # short: Unix socket paths are limited
    database = folder / "db"
    database.mkdir()
    (folder / "eicar.com").write_bytes(EICAR)
    hdb = subprocess.run(
        [sigtool, "--md5", "eicar.com"], cwd=folder, capture_output=True, text=True, check=True
    )
    (database / "local-eicar.hdb").write_text(hdb.stdout)
    (database / "local-eicar.ndb").write_text(f"Local.Eicar.Inside:0:*:{EICAR.hex()}\n")
    sock = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {sock}",
                f"DatabaseDirectory {database}",
                f"LogFile {folder / 'clamd.log'}",
                f"PidFile {folder / 'clamd.pid'}",
                f"TemporaryDirectory {folder}",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [clamd, "--config-file", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while not _ping(str(sock)):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start: {log[-2000:]}")
            time.sleep(0.2)
        yield str(sock)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def clamd_settings(settings, real_clamd):
    settings.CLAMAV_SOCKET = real_clamd
    settings.VIRUS_SCANNER = "hrportal.documents.scanning.clamav_if_configured"
    return settings


def infected_pdf() -> bytes:
    """A valid PDF carrying the EICAR string after its end (a PDF reader ignores it; a scanner must not)."""
    return sample_pdf_bytes() + b"\n" + EICAR + b"\n"


def upload(client, employee, data: bytes):
    return client.post(
        f"/portal/employees/{employee.pk}/documents/upload/",
        {
            "file": SimpleUploadedFile("kontrakt.pdf", data, content_type="application/pdf"),
            "kind": "contract",
            "title": "Kontrakt",
            "document_date": "2024-02-01",
        },
        HTTP_ACCEPT_LANGUAGE="da",
    )


def test_the_eicar_file_is_found_by_its_sigtool_signature(clamd_settings):
    with pytest.raises(RejectedUpload) as refused:
        scanning.scan(SimpleUploadedFile("eicar.com", EICAR))
    assert refused.value.reason == "virus"


def test_a_clean_file_passes_the_real_scanner(clamd_settings):
    scanning.scan(SimpleUploadedFile("a.pdf", sample_pdf_bytes()))  # no exception: clamd said OK


@pytest.mark.django_db
def test_an_eicar_pdf_upload_is_refused_audited_and_not_stored(
    admin_client, company, clamd_settings, private_storage
):
    employee = make_document_employee(company)
    response = upload(admin_client, employee, infected_pdf())
    assert response.status_code == 400
    assert "Filen indeholder virus og blev ikke gemt." in response.content.decode()
    with company_scope(company):
        assert not Document.objects.exists()
    assert not private_storage.exists() or not [p for p in private_storage.rglob("*") if p.is_file()]
    event = AuditEvent.objects.get(company_id=company.pk, action=Action.DOCUMENT_UPLOAD_REJECTED)
    assert event.details["reason"] == "virus"
    # The same user's clean contract goes through the same scanner and is stored.
    assert upload(admin_client, employee, sample_pdf_bytes()).status_code == 302
    with company_scope(company):
        assert Document.objects.count() == 1


@pytest.mark.django_db
def test_without_the_scanner_the_same_pdf_would_be_stored(admin_client, company, settings, private_storage):
    """What the attacker saw: the infected PDF is otherwise a valid upload, so only the scan refuses it."""
    settings.CLAMAV_SOCKET = ""
    employee = make_document_employee(company)
    assert upload(admin_client, employee, infected_pdf()).status_code == 302
    with company_scope(company):
        assert Document.objects.count() == 1
