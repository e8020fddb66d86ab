"""The ClamAV client (hrportal.documents.scanning) against a fake clamd on a real Unix socket.

The fake speaks clamd's INSTREAM protocol (a "zINSTREAM\\0" command, length-prefixed chunks, a zero-length
end) and answers as clamd does, so the client's socket code, framing and verdict parsing all run for real.
"""

import contextlib
import shutil
import socket
import struct
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrportal.audit.models import Action, AuditEvent
from hrportal.documents import scanning
from hrportal.documents.models import Document
from hrportal.documents.validation import RejectedUpload
from hrportal.tenancy import company_scope
from tests.factories import make_document_employee, sample_pdf_bytes

OK = b"stream: OK\0"
FOUND = b"stream: Eicar-Test-Signature FOUND\0"


class FakeClamd:
    """One-connection-at-a-time clamd on a Unix socket: records what it was sent, answers `reply`
    (None: closes the connection without answering)."""

    def __init__(self, reply: bytes | None):
        self.reply = reply
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        # A short path: Unix socket paths are limited to about 100 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix="clamd-", dir="/tmp"))
        self.path = str(self.folder / "clamd.sock")
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(4)
        self.server.settimeout(10)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def _read_exactly(self, conn, n):
        data = b""
        while len(data) < n:
            part = conn.recv(n - len(data))
            if not part:
                raise ConnectionError("client closed early")
            data += part
        return data

    def serve(self):
        while True:
            try:
                conn, _addr = self.server.accept()
            except OSError:
                return
            with conn:
                self.commands.append(self._read_exactly(conn, len(b"zINSTREAM\0")))
                stream = b""
                while True:
                    (size,) = struct.unpack(">I", self._read_exactly(conn, 4))
                    if size == 0:
                        break
                    stream += self._read_exactly(conn, size)
                self.received.append(stream)
                if self.reply is not None:
                    conn.sendall(self.reply)

    def close(self):
        # close() alone does not wake a thread blocked in accept() on Linux; shutdown() does, so the
        # thread ends at once instead of the join waiting out its timeout.
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self.thread.join(timeout=5)
        assert not self.thread.is_alive(), "the fake clamd did not stop"
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def clamd(settings):
    servers = []

    def start(reply):
        server = FakeClamd(reply)
        servers.append(server)
        settings.CLAMAV_SOCKET = server.path
        settings.VIRUS_SCANNER = "hrportal.documents.scanning.clamav_if_configured"
        return server

    yield start
    for server in servers:
        server.close()


def big_file():
    # Larger than one 64 KiB chunk, so the framing of several chunks is exercised.
    return bytes(range(256)) * 1000


def test_clean_file_passes_and_is_streamed_whole(clamd):
    server = clamd(OK)
    data = big_file()
    scanning.scan(SimpleUploadedFile("a.pdf", data))
    assert server.commands == [b"zINSTREAM\0"]
    assert server.received == [data]


def test_infected_file_is_refused(clamd):
    clamd(FOUND)
    with pytest.raises(RejectedUpload) as refused:
        scanning.scan(SimpleUploadedFile("a.pdf", big_file()))
    assert refused.value.reason == "virus"


def test_a_scanner_that_answers_nothing_fails_closed(clamd):
    server = clamd(None)
    with pytest.raises(RejectedUpload) as refused:
        scanning.scan(SimpleUploadedFile("a.pdf", b"%PDF-1.7 small"))
    assert refused.value.reason == "scanner_error"
    assert server.received == [b"%PDF-1.7 small"]  # it was asked, and its silence is not a pass


def test_an_unreachable_scanner_fails_closed(settings, tmp_path):
    settings.CLAMAV_SOCKET = str(tmp_path / "no-such.sock")
    with pytest.raises(RejectedUpload) as refused:
        scanning.clamav_if_configured(SimpleUploadedFile("a.pdf", b"%PDF-1.7"))
    assert refused.value.reason == "scanner_unavailable"


def test_no_socket_configured_means_no_scan(settings):
    settings.CLAMAV_SOCKET = ""
    assert scanning.clamav_if_configured(SimpleUploadedFile("a.pdf", b"%PDF-1.7")) is None


@pytest.mark.django_db
def test_virus_positive_upload_is_refused_with_a_message_audited_and_not_stored(
    admin_client, company, clamd, private_storage
):
    server = clamd(FOUND)
    employee = make_document_employee(company)
    pdf = sample_pdf_bytes()
    response = admin_client.post(
        f"/portal/employees/{employee.pk}/documents/upload/",
        {
            "file": SimpleUploadedFile("kontrakt.pdf", pdf, content_type="application/pdf"),
            "kind": "contract",
            "title": "Kontrakt",
            "document_date": "2024-02-01",
        },
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == 400
    assert "Filen indeholder virus og blev ikke gemt." in response.content.decode()
    assert server.received == [pdf]
    with company_scope(company):
        assert not Document.objects.exists()
    assert not private_storage.exists() or not [p for p in private_storage.rglob("*") if p.is_file()]
    event = AuditEvent.objects.get(company_id=company.pk, action=Action.DOCUMENT_UPLOAD_REJECTED)
    assert event.details["reason"] == "virus"
