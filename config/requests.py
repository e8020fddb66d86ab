"""What the site and the portal may know about where a request came from: its client IP, a keyed hash of it,
and a per-IP rate limit. Neutral ground, so the public site (`cms_pages`) never reaches into `hrportal`.

Behind the reverse proxy of site/deploy/ every request comes from 127.0.0.1, which would put all visitors in
one throttle bucket and make every hashed IP the same: only when the direct peer is a configured trusted
proxy is its `X-Real-IP` header believed, so a client cannot spoof it.

No raw IP is ever stored, on either side. The hash's input is truncated first (IPv4 /24, IPv6 /48), so even
it no longer names one connection, and it is keyed (from `BLIND_INDEX_MASTER_KEY`, the root of every keyed
hash), so nobody holding the database can reverse it by trying all addresses. The same network gives the same
hash on both sides, which is what lockouts, throttles and an investigator reading the audit log need.

Counts live in the shared cache (Redis in production, so every worker process shares them), keyed by that
hash. When it cannot be reached, counting raises `config.cache.SharedStateUnavailable`: the limited action is
refused with a message rather than let through uncounted.
"""

import base64
import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings

from config.cache import shared_cache as cache


def client_ip(request) -> str:
    """The client's address ("" without a request); also django-axes' `AXES_CLIENT_IP_CALLABLE`."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if remote in settings.TRUSTED_PROXIES:
        forwarded = (request.META.get("HTTP_X_REAL_IP") or "").strip()
        if forwarded:
            return forwarded
    return remote


def truncate_ip(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


@lru_cache(maxsize=4)
def _ip_hash_key(root: str) -> bytes:
    # Domain-separated from the blind indexes and backup-code hashes that share the root key.
    return hmac.new(base64.b64decode(root), b"ansatte:ip-hash", hashlib.sha256).digest()


def hash_ip(ip: str | None) -> str:
    """A keyed hash of the IP's network ("" for no or an unparsable address)."""
    truncated = truncate_ip(ip or "")
    if not truncated:
        return ""
    return hmac.new(
        _ip_hash_key(settings.BLIND_INDEX_MASTER_KEY), truncated.encode(), hashlib.sha256
    ).hexdigest()[:32]


def count_hit(key: str, window: int) -> int:
    """Count one hit under `key` in a window of `window` seconds; returns the hits so far in the window."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def rate_limited(request_or_ip, scope: str, limit: int, window: int = 3600) -> bool:
    """Count one hit for the visitor's IP in `scope`; True once more than `limit` fell in the window.

    Takes a request (its client IP as `client_ip` resolves it) or an IP address.
    """
    ip = (
        request_or_ip if request_or_ip is None or isinstance(request_or_ip, str) else client_ip(request_or_ip)
    )
    return count_hit(f"ratelimit:{scope}:{hash_ip(ip) or 'unknown'}", window) > limit
