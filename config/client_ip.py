"""The client's IP address, for throttles, lockouts and hashed proof records.

Behind the reverse proxy of site/deploy/ every request comes from 127.0.0.1, which would put all
visitors in one throttle bucket and make every hashed IP the same. Only when the direct peer is a
configured trusted proxy is its `X-Real-IP` header believed; a client cannot spoof it otherwise.
"""

from django.conf import settings


def client_ip(request) -> str:
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if remote in settings.TRUSTED_PROXIES:
        forwarded = (request.META.get("HTTP_X_REAL_IP") or "").strip()
        if forwarded:
            return forwarded
    return remote
