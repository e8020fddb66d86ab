"""The secrets of signing and how long they live: verification codes, link tokens, one-time codes.

Kept apart from the steps that hand them out so that what is stored (hashes only) and what is printed
(the verification code) can be reviewed in one place.
"""

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings

from hrportal.encryption.primitives import keyed_hash

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def link_max_age() -> timedelta:
    return timedelta(seconds=settings.SIGNING_LINK_MAX_AGE)


def copy_link_max_age() -> timedelta:
    """How long after completion the employee's link gives the signed copy."""
    return timedelta(seconds=settings.SIGNED_COPY_LINK_MAX_AGE)


def code_max_age() -> timedelta:
    return timedelta(seconds=settings.SIGNING_CODE_MAX_AGE)


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))  # 80 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_verification_code(text: str) -> str:
    """People retype the code from paper: case, spaces and missing dashes must not matter."""
    raw = re.sub(r"[^A-Z0-9]", "", (text or "").upper())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def token_hash(token: str) -> str:
    """Only the hash of a link's token is stored: a database leak gives no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


def code_hash(signer, code: str) -> str:
    """Keyed, and bound to the signer: six digits are too few to store under a plain hash."""
    return keyed_hash("document-signing-code", f"{signer.uuid}:{code}")
