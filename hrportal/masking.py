"""How the portal shows an e-mail address or a mobile number it must not disclose in full.

One place for both, so every page, e-mail and signature page masks the same value the same way: a person
recognises their own address or number, and nobody learns someone else's from a screenshot or a printed
signature page.
"""

import re


def mask_email(email: str) -> str:
    """soren@example.dk -> s***@example.dk: the domain and first letter are enough to recognise it."""
    local, sep, domain = (email or "").strip().rpartition("@")
    if not sep:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_phone(phone: str) -> str:
    """+45 12 34 56 78 -> +45 •• •• 56 78: the last four digits only, grouped as Danes write numbers."""
    raw = (phone or "").strip()
    digits = re.sub(r"\D", "", raw)
    international = raw.startswith(("+", "00"))
    if raw.startswith("00"):
        digits = digits[2:]
    if len(digits) < 6:
        return "••••"
    tail = f"{digits[-4:-2]} {digits[-2:]}"
    if international and digits.startswith("45") and len(digits) == 10:
        return f"+45 •• •• {tail}"
    if not international and len(digits) == 8:
        return f"•• •• {tail}"
    return f"{'+' if international else ''}{'•' * (len(digits) - 4)} {tail}"
