"""The portal language and the session-timeout endpoints (status, keepalive)."""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hrportal.accounts.middleware import two_factor_exempt
from hrportal.accounts.sessions import mark_active, not_activity, seconds_left
from hrportal.accounts.views.common import safe_next


@two_factor_exempt
@require_POST
def set_language(request):
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response = redirect(safe_next(request))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", httponly=True)
    return response


@never_cache
@not_activity
def session_status(request):
    """For session-timeout.js: seconds left, and the warning's texts in the user's language."""
    return JsonResponse(
        {
            "remaining": seconds_left(request.session),
            "warn": settings.SESSION_IDLE_WARNING,
            "message": _("You will be logged out soon because you have not been active."),
            "button": _("Stay logged in"),
            "csrf": get_token(request),
            "keepalive": reverse("portal:session_keepalive"),
        }
    )


@never_cache
@require_POST
def session_keepalive(request):
    """The warning's button: counts as activity (also without JavaScript, as a plain form)."""
    mark_active(request.session)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"remaining": seconds_left(request.session)})
    return redirect(safe_next(request))
