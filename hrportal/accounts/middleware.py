"""Two-factor enforcement for every protected URL, and the per-user portal language.

The rule lives in one middleware rather than in each view so that a new view cannot forget it: any
URL under a protected prefix requires a session verified by a second factor unless its view is
explicitly marked `two_factor_exempt` (login, signup, password reset). The test suite enumerates every
URL pattern to prove it.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

PROTECTED_PREFIXES = ("/portal/", "/admin/")


def two_factor_exempt(view):
    """Mark a view as reachable without a verified session (it must do its own checks)."""
    view.two_factor_exempt = True
    return view


def is_protected_path(path: str) -> bool:
    return path.startswith(PROTECTED_PREFIXES)


def _next_without_cpr(request) -> str:
    """The page to come back to after login; a query holding a CPR number is dropped, so the number does
    not travel on in the login page's URL and `next` field (and from there into logs and history)."""
    from hrportal.employees.cpr import contains_cpr

    full = request.get_full_path()
    return request.path if contains_cpr(full) else full


class RequireVerifiedSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_protected_path(request.path_info) or getattr(view_func, "two_factor_exempt", False):
            return None
        user = request.user
        query = urlencode({"next": _next_without_cpr(request)})
        if not user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?{query}")
        if not user.is_verified():
            return redirect(f"{reverse('portal:login_verify')}?{query}")
        return None


class UserLanguageMiddleware:
    """In the portal, a logged-in user's saved language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path_info.startswith("/portal/") and user is not None and user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
