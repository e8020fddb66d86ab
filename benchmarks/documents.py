"""Document storage benchmark: memory and speed of storing a 100 MB upload encrypted.

`python -m benchmarks.documents` (also run by `python -m benchmarks` when wired in). On a throw-away test
database, it measures:

* the streaming cipher alone (`hrportal.encryption.streams.encrypt_stream`, 64 KiB AES-256-GCM chunks) on
  100 MB held in memory, written to a null sink: the encryption throughput (target >= 500 MB/s);
* the whole upload path (`services.ingest_upload`: content checks incl. the PDF scan, SHA-256, encryption,
  local storage) on a 100 MB PDF read from a temporary file, like Django's TemporaryUploadedFile, with
  tracemalloc: the peak of Python memory allocated during the call (target: growth <= 50 MB);
* decryption of the stored file back to a temporary file (the download path).

The results are written to docs/performance.md between the DOCUMENTS-BENCHMARK markers.
"""

import os
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks import measured_on, throwaway_database, write_block

START, END = "<!-- DOCUMENTS-BENCHMARK:START -->", "<!-- DOCUMENTS-BENCHMARK:END -->"
MB = 1024 * 1024
SIZE = 100 * MB
PEAK_TARGET_MB = 50
THROUGHPUT_TARGET = 500


class NullSink:
    def write(self, data):
        return len(data)


def big_pdf(path: Path, size: int) -> None:
    """A valid PDF of about `size` bytes: one page whose content stream is mostly a long comment."""
    filler = size - 1024
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    ]
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(fh.tell())
            fh.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        offsets.append(fh.tell())
        fh.write(b"4 0 obj\n<< /Length %d >>\nstream\n" % filler)
        block = (b"% " + b"x" * 1021 + b"\n") * 64
        written = 0
        while written < filler:
            part = block[: filler - written]
            fh.write(part)
            written += len(part)
        fh.write(b"\nendstream\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 5\n0000000000 65535 f \n")
        for offset in offsets:
            fh.write(b"%010d 00000 n \n" % offset)
        fh.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


def bench_cipher(company_id) -> float:
    import io

    from hrportal.encryption import streams

    data = os.urandom(MB) * (SIZE // MB)
    streams.encrypt_stream(company_id, io.BytesIO(data[:MB]), NullSink(), b"warm")
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        streams.encrypt_stream(company_id, io.BytesIO(data), NullSink(), b"bench")
        best = min(best, time.perf_counter() - t0)
    return SIZE / MB / best


def bench_upload(company, employee, workdir: Path):
    import datetime

    from django.core.files.uploadedfile import TemporaryUploadedFile
    from django.test import override_settings

    from hrportal.documents import services, storage
    from hrportal.tenancy import company_scope

    source = workdir / "big.pdf"
    big_pdf(source, SIZE)
    size = source.stat().st_size
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", size, None)
    with source.open("rb") as src:
        for chunk in iter(lambda: src.read(MB), b""):
            upload.write(chunk)
    upload.seek(0)
    limits = override_settings(DOCUMENT_MAX_UPLOAD_BYTES=2 * SIZE, PRIVATE_STORAGE_ROOT=workdir / "private")
    with limits, company_scope(company):
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        t0 = time.perf_counter()
        document = services.ingest_upload(
            employee=employee,
            kind="other",
            title="Bench",
            document_date=datetime.date.today(),
            uploaded=upload,
        )
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        t0 = time.perf_counter()
        with services.open_original(document) as plain:
            digest = storage.sha256_of(plain)
        decrypt_elapsed = time.perf_counter() - t0
        assert digest == document.sha256
    upload.close()
    return size, peak, elapsed, decrypt_elapsed


def main():
    with throwaway_database("bench_docs") as vendor:
        from tests.factories import CompanyFactory, make_document_employee

        company = CompanyFactory(name="Bench Dokumenter ApS")
        employee = make_document_employee(company)
        throughput = bench_cipher(company.pk)
        print(f"encrypt_stream: {throughput:,.0f} MB/s (target >= {THROUGHPUT_TARGET} MB/s)")
        with tempfile.TemporaryDirectory() as tmp:
            size, peak, elapsed, decrypt_elapsed = bench_upload(company, employee, Path(tmp))
        print(
            f"upload of {size / MB:.0f} MB: peak Python memory growth {peak / MB:.1f} MB "
            f"(target <= {PEAK_TARGET_MB} MB), {elapsed:.2f} s ({size / MB / elapsed:,.0f} MB/s end to end); "
            f"decrypt + hash {decrypt_elapsed:.2f} s"
        )
    write_doc(vendor, throughput, size, peak, elapsed, decrypt_elapsed)
    ok = throughput >= THROUGHPUT_TARGET and peak / MB <= PEAK_TARGET_MB
    return 0 if ok else 1


def write_doc(vendor, throughput, size, peak, elapsed, decrypt_elapsed):
    lines = [
        measured_on("python -m benchmarks.documents", vendor),
        "",
        "| measurement | value | target |",
        "|---|---|---|",
        f"| encryption throughput (`encrypt_stream`, 100 MB in memory, best of 3) | {throughput:,.0f} MB/s "
        f"| ≥ {THROUGHPUT_TARGET} MB/s |",
        f"| peak Python memory growth while storing a {size / MB:.0f} MB PDF upload (tracemalloc) "
        f"| {peak / MB:.1f} MB | ≤ {PEAK_TARGET_MB} MB |",
        f"| whole upload path for it (checks, SHA-256, encryption, local storage) | {elapsed:.2f} s "
        f"({size / MB / elapsed:,.0f} MB/s) | |",
        f"| decrypting it to a temporary file and hashing (download path) | {decrypt_elapsed:.2f} s | |",
    ]
    write_block(START, END, lines, SECTION)


SECTION = """## Employment documents: encrypted file storage

Files are encrypted with the company's data key before they reach storage (`hrportal/documents/storage.py`),
as a stream of 64 KiB AES-256-GCM chunks (`hrportal/encryption/streams.py`), so memory does not grow with the
file: the upload is read from Django's temporary upload file, hashed (SHA-256 of the plaintext) and sealed
chunk by chunk into a spooled temporary file that the storage backend copies in chunks. The PDF checks scan
the raw bytes in 1 MiB windows and parse only the catalog and compressed object streams (page contents and
images are never loaded). Downloads decrypt to a temporary file first (a tampered chunk fails before any
byte reaches the client) and stream it.

"""


if __name__ == "__main__":
    raise SystemExit(main())
