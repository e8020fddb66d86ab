"""Development secrets, created on first run so `make run` needs no manual step.

The file is gitignored and only read by the dev settings; production never looks at it and refuses to
start without real secrets from its environment.
"""

import base64
import os
import secrets
from pathlib import Path

SECRETS_FILE = Path(__file__).resolve().parent.parent.parent / ".local-secrets.env"


def _new_secrets() -> dict[str, str]:
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ENCRYPTION_MASTER_KEYS": "dev1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "BLIND_INDEX_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "AUDIT_CHAIN_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def load_local_secrets(path: Path = SECRETS_FILE) -> None:
    """Create the secrets file if missing, then put its values into os.environ (env wins).

    A file from before a secret was added gets the new one appended, keeping the existing ones (a new
    DJANGO_SECRET_KEY or master key would log everyone out or make encrypted data unreadable).
    """
    if not path.exists():
        lines = [f"{name}={value}" for name, value in _new_secrets().items()]
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("# Local development secrets, generated on first run. Never commit.\n")
            fh.write("\n".join(lines) + "\n")
    present = {line.split("=", 1)[0].strip() for line in path.read_text().splitlines() if "=" in line}
    missing = [f"{name}={value}" for name, value in _new_secrets().items() if name not in present]
    if missing:
        with path.open("a") as fh:
            fh.write("\n".join(missing) + "\n")
    for line in path.read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            os.environ.setdefault(name.strip(), value.strip())
