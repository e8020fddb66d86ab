"""Make a key and a self-signed certificate for the PAdES seal, for a first deployment or the rehearsal.

A self-signed seal is tamper-evident (any change breaks it, and /verify/ checks it against this
certificate) but PDF readers show its issuer as unknown; a seal certificate from a trust service provider
for the same key makes them show who sealed. The key file is written readable by its owner only.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hrportal.documents.signing.pades import make_self_signed_certificate


class Command(BaseCommand):
    help = "Write seal.key and seal.crt (self-signed, for the PAdES seal on signed PDFs) into a directory."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--name", default="Ansatte document seal")
        parser.add_argument("--days", type=int, default=3650)

    def handle(self, directory, name, days, **options):
        target = Path(directory)
        key_file, cert_file = target / "seal.key", target / "seal.crt"
        if key_file.exists() or cert_file.exists():
            raise CommandError(
                f"{target} already holds a seal: remove it first (documents sealed by it keep it)."
            )
        target.mkdir(parents=True, exist_ok=True)
        key_pem, cert_pem = make_self_signed_certificate(name, days=days)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key_pem)
        cert_file.write_bytes(cert_pem)
        self.stdout.write(f"SIGNING_SEAL_KEY_FILE={key_file}\nSIGNING_SEAL_CERT_FILE={cert_file}")
