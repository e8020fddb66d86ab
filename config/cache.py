"""The two caches, and what each does when Redis is down.

- `default` (`DegradingRedisCache`): what may be lost — rendered fragments, the employee-list snapshot,
  Wagtail's site lookups. When Redis does not answer, a read is a miss and a write is dropped, so every page
  is built from the database instead: slower, never a 500. The outage is logged once (and its end once), not
  per request; for `DOWN_SECONDS` after a failure no connection is tried, so an unreachable host does not
  cost every request a connect timeout.
- `shared` (plain `RedisCache` through `shared_cache()`): what must be the same in every worker process —
  rate limits, SMS codes. It never degrades: a failure raises `SharedStateUnavailable`, which the forms that
  need it turn into a clear message (and `SharedStateUnavailableMiddleware` into a 503 page anywhere else).
  Counting nothing would lift every limit; failing closed keeps them.

Without REDIS_URL (development, tests) both are per-process local memory.
"""

import functools
import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("config.cache")

DOWN_SECONDS = 5
# Connect and read timeouts (seconds) for both caches: an unreachable Redis costs at most this per try.
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


# Wagtail stores every rendition it looks up in this cache again, on every request (8 writes per home page,
# one per customer logo). A rendition row never changes for its image, filter and focal point, so a cache in
# each process is enough and costs no network round trip; the timeout bounds how long another process may
# still name a rendition whose image file was replaced.
RENDITIONS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 300,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}


def caches_for(redis_url: str) -> dict:
    """The CACHES setting for a Redis URL ("" = local memory)."""
    if not redis_url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
            "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
            "renditions": RENDITIONS_CACHE,
        }
    return {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": REDIS_OPTIONS,
        },
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "OPTIONS": REDIS_OPTIONS,
        },
        "renditions": RENDITIONS_CACHE,
    }


class SharedStateUnavailable(Exception):
    """The shared cache (rate limits, codes) cannot be reached: the action is refused, not let through."""


def _redis_errors():
    import redis

    return (redis.exceptions.RedisError, OSError)


class _Outage:
    """Per-process outage state: one log line when Redis goes away, one when it is back."""

    lock = threading.Lock()
    down_until = 0.0
    logged = False

    @classmethod
    def skipping(cls) -> bool:
        return time.monotonic() < cls.down_until

    @classmethod
    def failed(cls, exc) -> None:
        with cls.lock:
            cls.down_until = time.monotonic() + DOWN_SECONDS
            if not cls.logged:
                cls.logged = True
                logger.error("Redis unreachable (%s): pages are served without the cache", type(exc).__name__)

    @classmethod
    def succeeded(cls) -> None:
        if cls.logged:
            with cls.lock:
                if cls.logged:
                    cls.logged = False
                    logger.warning("Redis reachable again: the cache is used again")

    @classmethod
    def reset(cls) -> None:
        cls.down_until, cls.logged = 0.0, False


def _degrading(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if _Outage.skipping():
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except _redis_errors() as exc:
                _Outage.failed(exc)
                return fallback(*args, **kwargs)
            _Outage.succeeded()
            return result

        return wrapper

    return decorate


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return {}


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found")  # what incr says of a missing key


class DegradingRedisCache(RedisCache):
    """Redis as a cache that may be lost: unreachable means a miss, never an exception."""

    get = _degrading(_default)(RedisCache.get)
    set = _degrading(_none)(RedisCache.set)
    add = _degrading(_false)(RedisCache.add)
    touch = _degrading(_false)(RedisCache.touch)
    delete = _degrading(_false)(RedisCache.delete)
    get_many = _degrading(_nothing)(RedisCache.get_many)
    has_key = _degrading(_false)(RedisCache.has_key)
    incr = _degrading(_missing_key)(RedisCache.incr)
    set_many = _degrading(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _degrading(_none)(RedisCache.delete_many)
    clear = _degrading(_false)(RedisCache.clear)


class _SharedCache:
    """The shared cache, with any Redis failure raised as `SharedStateUnavailable`."""

    def __getattr__(self, name):
        attribute = getattr(caches["shared"], name)
        if not callable(attribute):
            return attribute

        @functools.wraps(attribute)
        def call(*args, **kwargs):
            try:
                return attribute(*args, **kwargs)
            except _redis_errors() as exc:
                logger.warning("Shared cache unreachable (%s): action refused", type(exc).__name__)
                raise SharedStateUnavailable from exc

        return call


shared_cache = _SharedCache()


def redis_status() -> str:
    """What /readyz reports: "ok", "unreachable", or "not configured" (local memory)."""
    backend = caches["shared"]
    if not isinstance(backend, RedisCache):
        return "not configured"
    try:
        backend._cache.get_client(write=True).ping()
    except _redis_errors():
        return "unreachable"
    return "ok"


class SharedStateUnavailableMiddleware:
    """Anywhere a form did not handle it itself: a 503 page saying to try again, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, SharedStateUnavailable):
            return None
        from django.http import JsonResponse
        from django.shortcuts import render

        if (
            "application/json" in request.headers.get("Accept", "")
            or request.content_type == "application/json"
        ):
            response = JsonResponse({"error": "unavailable"}, status=503)
        else:
            response = render(request, "shared_state_unavailable.html", status=503)
        response["Retry-After"] = "60"
        return response
