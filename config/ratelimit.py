"""Counting hits in the shared cache: the one fixed-window rate limiter of the site and the portal.

Counts live in the shared cache (Redis in production, so every worker process shares them). When it cannot
be reached, counting raises `config.cache.SharedStateUnavailable`: the limited action is refused with a
message rather than let through uncounted. Visitors are keyed by
a keyed hash of their IP address (`hrportal.audit.log.hash_ip`), never the address itself.
"""

from config.cache import shared_cache as cache


def count_hit(key: str, window: int) -> int:
    """Count one hit under `key` in a window of `window` seconds; returns the hits so far in the window."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def ip_rate_limited(request_or_ip, scope: str, limit: int, window: int = 3600) -> bool:
    """Count one hit for the visitor's IP in `scope`; True once more than `limit` fell in the window.

    Takes a request (its client IP as `config.client_ip` resolves it) or an IP address.
    """
    from config.client_ip import client_ip
    from hrportal.audit.log import hash_ip

    ip = (
        request_or_ip if request_or_ip is None or isinstance(request_or_ip, str) else client_ip(request_or_ip)
    )
    return count_hit(f"ratelimit:{scope}:{hash_ip(ip) or 'unknown'}", window) > limit
