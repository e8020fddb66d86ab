"""What the public site may keep about an anonymous visitor: a keyed hash of a truncated IP, a coarse
user-agent summary, and a per-IP rate-limit counter keyed by that hash.

Public pages never store a raw IP: truncating first (IPv4 /24, IPv6 /48) means even the hash's input
no longer names one connection, and the key (derived from SECRET_KEY) stops dictionary reversal.
"""

import hashlib
import hmac
import ipaddress
import re

from django.conf import settings

from config.ratelimit import ip_rate_limited


def client_ip(request) -> str:
    # X-Real-IP only from a trusted proxy (settings.TRUSTED_PROXIES); a client cannot spoof it.
    from config.client_ip import client_ip as trusted_client_ip

    return trusted_client_ip(request)


def truncate_ip(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def hash_ip(ip: str) -> str:
    truncated = truncate_ip(ip)
    if not truncated:
        return ""
    key = hashlib.sha256(("consent-ip:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, truncated.encode(), hashlib.sha256).hexdigest()[:32]


_BROWSERS = [
    ("Edge", r"Edg/(\d+)"),
    ("Opera", r"OPR/(\d+)"),
    ("Firefox", r"Firefox/(\d+)"),
    ("Chrome", r"(?:Chrome|Chromium|HeadlessChrome)/(\d+)"),
    ("Safari", r"Version/(\d+).*Safari/"),
]
_SYSTEMS = [
    ("Android", r"Android"),
    ("iOS", r"iPhone|iPad|iPod"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("Linux", r"Linux|X11"),
]


def user_agent_summary(user_agent: str) -> str:
    """Browser family, major version and OS: enough to show how consent was given, too little to track."""
    browser = next(
        (f"{name} {m.group(1)}" for name, pattern in _BROWSERS if (m := re.search(pattern, user_agent))),
        "Other",
    )
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, user_agent)), "Other")
    return f"{browser} / {system}"


def rate_limited(request, scope: str, limit: int, window: int = 3600) -> bool:
    """Count one hit for this visitor's IP in `scope`; True once more than `limit` fell in the window."""
    return ip_rate_limited(request, scope, limit, window)
