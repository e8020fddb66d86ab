"""The Content-Security-Policy and Permissions-Policy of every response, by host and area.

Why per area: the portal and the employee's signing pages run only our own files, so they get the strictest
policy; the Wagtail admin needs inline scripts and styles that Wagtail itself writes (chooser widgets, inline
panels, date pickers render `<script>` from Python), so it gets exactly that and nothing from elsewhere; the
public site runs our files plus the tracking scripts editors declared, by their URL's origin only. No policy
allows a script written by an editor: the tracking-script model holds a URL, never code.

The public policy is the same for every visitor (no nonce), so a cached public page stays correct.
"""

from django.conf import settings
from django.core.cache import cache

from config.origins import APP, host_of, origin_of

# Browser features none of the sites use: a script (first or third party) may not ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

_COMMON = {
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
}

# /portal/, /sign/, /verify/: our own files only; no inline script or style of any kind.
PORTAL_POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "manifest-src": ["'self'"],
    **_COMMON,
}

# /admin/: what Wagtail 8's admin needs (checked in a browser, tests/e2e/test_two_origins.py), no other
# origin.
ADMIN_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],  # page and snippet previews
    "worker-src": ["'self'", "blob:"],
    "form-action": ["'self'"],
    **_COMMON,
    "frame-ancestors": ["'self'"],  # the preview panel frames the preview view
}

# The public site: our files, plus the declared tracking scripts' origins (filled in by public_policy()).
PUBLIC_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'none'"],
    "form-action": ["'self'"],
    "manifest-src": ["'self'"],
    **_COMMON,
}

TRACKER_ORIGINS_CACHE_KEY = "csp:tracker-origins:v1"


def serialize(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


def tracker_origins() -> list[str]:
    """The origins of active tracking scripts, cached until a script is saved or deleted (signals below)."""
    origins = cache.get(TRACKER_ORIGINS_CACHE_KEY)
    if origins is None:
        from cms_pages.consent.models import TrackingScript

        urls = TrackingScript.objects.filter(active=True).exclude(src="").values_list("src", flat=True)
        app = host_of(settings.APP_ORIGIN)
        own = origin_of(settings.PUBLIC_ORIGIN)  # already 'self'
        origins = sorted({origin_of(url) for url in urls if host_of(url) != app} - {"", own})
        cache.set(TRACKER_ORIGINS_CACHE_KEY, origins, 60 * 60)
    return origins


def forget_tracker_origins(**kwargs):
    cache.delete(TRACKER_ORIGINS_CACHE_KEY)


def public_policy() -> str:
    policy = {name: list(values) for name, values in PUBLIC_POLICY.items()}
    extra = tracker_origins()
    # A tracker loads from its origin and usually reports to it (a pixel, a beacon): those three only.
    for directive in ("script-src", "img-src", "connect-src"):
        policy[directive] += extra
    return serialize(policy)


def policy_for(area: str, path: str) -> str:
    if area == APP:
        if path.startswith("/admin/"):
            return serialize(ADMIN_POLICY)
        return serialize(PORTAL_POLICY)
    return public_policy()
