"""Virus-scanner hook for uploads.

`settings.VIRUS_SCANNER` names a callable taking a binary file; it raises `RejectedUpload` to refuse.
The default uses ClamAV's clamd (INSTREAM over its socket) when `CLAMAV_SOCKET` is set
(`/run/clamav/clamd.ctl` or `tcp://host:3310`), and does nothing otherwise. With a scanner configured
but unreachable, uploads are refused (fail closed) rather than stored unchecked.
"""

import socket
import struct

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from hrportal.documents.validation.common import RejectedUpload

CHUNK = 64 * 1024


def scan(fileobj) -> None:
    path = settings.VIRUS_SCANNER
    scanner = import_string(path)
    fileobj.seek(0)
    try:
        scanner(fileobj)
    finally:
        fileobj.seek(0)


def no_scan(fileobj) -> None:
    return None


def _connect(address: str, timeout: float):
    if address.startswith("tcp://"):
        host, _sep, port = address[len("tcp://") :].rpartition(":")
        return socket.create_connection((host, int(port)), timeout=timeout)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(address)
    return sock


def clamav_if_configured(fileobj) -> None:
    address = settings.CLAMAV_SOCKET
    if not address:
        return
    try:
        with _connect(address, float(settings.CLAMAV_TIMEOUT)) as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in iter(lambda: fileobj.read(CHUNK), b""):
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
    except OSError as exc:
        raise RejectedUpload(
            "scanner_unavailable", _("The file could not be checked for viruses. Please try again later.")
        ) from exc
    text = answer.rstrip(b"\0").decode("utf-8", "replace")
    if text.endswith("OK"):
        return
    if text.endswith("FOUND"):
        raise RejectedUpload("virus", _("The file contains a virus and was not stored."))
    raise RejectedUpload(
        "scanner_error", _("The file could not be checked for viruses. Please try again later.")
    )
