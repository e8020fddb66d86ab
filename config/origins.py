"""The two origins: the public site on PUBLIC_ORIGIN, the portal, signing and the Wagtail admin on APP_ORIGIN.

Why two: an editor's tracking script or a compromised analytics vendor runs on the public site; if that site
shared its origin with the portal, the script could read the portal with the visitor's session (issue #12).
On separate origins the browser's same-origin policy keeps it out, and the app host's cookies are host-only.

One function decides which host a path belongs to (`area_of`); the middleware, the CSP and the tests all
use it, so a new URL cannot belong to one host in routing and another in its headers.
"""

from urllib.parse import urlsplit

from django.conf import settings

APP = "app"
PUBLIC = "public"
BOTH = "both"

# Served only on the app host: everything behind login, and the employee's signing and verification pages
# and their own data-subject request pages (/rights/, hrportal.privacy.views.public_requests).
APP_PREFIXES = ("/portal/", "/admin/", "/sign/", "/verify/", "/rights/")
# Served on either host: assets both sites load, root files (favicon, security.txt) and health checks.
SHARED_PREFIXES = (
    "/static/",
    "/media/",
    "/healthz",
    "/readyz",
    "/favicon.ico",
    "/robots.txt",
    "/.well-known/",
)


def area_of(path: str) -> str:
    """APP, PUBLIC or BOTH for a path; everything not named is the public site (Wagtail's catch-all)."""
    if path.startswith(APP_PREFIXES) or path in ("/verify", "/portal", "/admin"):
        return APP
    if path.startswith(SHARED_PREFIXES):
        return BOTH
    return PUBLIC


def _host(origin: str) -> str:
    parts = urlsplit(origin)
    return (parts.netloc or "").lower()


def app_host() -> str:
    """`host[:port]` of APP_ORIGIN, as the browser sends it in Host."""
    return _host(settings.APP_ORIGIN)


def public_host() -> str:
    return _host(settings.PUBLIC_ORIGIN)


def host_area(request) -> str | None:
    """Which site the request's Host names: APP, PUBLIC, or None for neither (ALLOWED_HOSTS answers that)."""
    from django.core.exceptions import DisallowedHost

    try:
        host = request.get_host().lower()
    except DisallowedHost:
        return None
    # nginx passes `Host: $host`, which drops the port: on an origin with a port of its own (a staging host,
    # the production rehearsal) the request names the origin's host name alone. A port-less Host equal to an
    # origin's host name is that origin (cookies are per host name, not per port, anyway).
    for area, origin_host in ((APP, app_host()), (PUBLIC, public_host())):
        if host == origin_host or (":" not in host and host == origin_host.split(":")[0]):
            return area
    return None


def origin_for(area: str) -> str:
    return (settings.APP_ORIGIN if area == APP else settings.PUBLIC_ORIGIN).rstrip("/")


def app_url(path: str) -> str:
    """An absolute link into the app host (from the public site, emails, PDFs)."""
    return settings.APP_ORIGIN.rstrip("/") + path


def public_url(path: str) -> str:
    """An absolute link into the public site (from the portal, newsletters)."""
    return settings.PUBLIC_ORIGIN.rstrip("/") + path


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of an absolute URL, '' for anything else (relative, javascript:, data:).

    Built from the host and port only: a user name or password in the URL is no part of an origin (and
    would make the CSP source invalid), and "host." is the same host as "host"."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme not in ("http", "https") or not host:
        return ""
    if ":" in host:
        host = f"[{host}]"  # IPv6
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def host_of(url: str) -> str:
    """The host name alone (no scheme, port or user), lower-case, without a trailing dot."""
    try:
        return (urlsplit(url or "").hostname or "").rstrip(".")
    except ValueError:
        return ""


def context(request):
    """Template context: both origins, for the few absolute links between the two sites."""
    return {
        "APP_ORIGIN": settings.APP_ORIGIN.rstrip("/"),
        "PUBLIC_ORIGIN": settings.PUBLIC_ORIGIN.rstrip("/"),
    }
