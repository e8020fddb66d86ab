"""Session limits of the portal and the Wagtail admin: an idle timeout and an absolute one.

- Idle: `SESSION_IDLE_TIMEOUT` seconds (30 minutes) without a request under /portal/ or /admin/ end the
  session. Requests that a page makes on its own (Wagtail's editing-session ping, the timeout script's
  status check) are not activity, so an open tab does not keep a session alive.
- Absolute: `SESSION_ABSOLUTE_TIMEOUT` (8 hours) after the password step, whatever the activity.
- Warning: `session-timeout.js` asks `/portal/session/` how long is left and, `SESSION_IDLE_WARNING`
  seconds before the end, shows a banner with a button that counts as activity (POST
  `/portal/session/keepalive/`); at the end it reloads, which leads to the login page.

The times are kept in the session (server side); the activity time is written at most once a minute.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hrportal.accounts.middleware import is_protected_path

LOGIN_AT = "_session_login_at"
ACTIVE_AT = "_session_active_at"
WRITE_EVERY = 60  # seconds: how stale the stored activity time may be (saves a session write per request)

# Requests a page makes by itself: they do not count as activity.
NOT_ACTIVITY = {"portal:session_status", "wagtailadmin_editing_sessions:ping"}


def not_activity(view):
    view.session_not_activity = True
    return view


@receiver(user_logged_in)
def _start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[ACTIVE_AT] = now


def seconds_left(session, now=None) -> int:
    """Seconds until the session ends, by whichever of the two limits comes first."""
    now = time.time() if now is None else now
    login_at = session.get(LOGIN_AT, now)
    active_at = session.get(ACTIVE_AT, now)
    left = min(
        settings.SESSION_IDLE_TIMEOUT - (now - active_at),
        settings.SESSION_ABSOLUTE_TIMEOUT - (now - login_at),
    )
    return max(0, int(left))


def mark_active(session, now=None) -> None:
    session[ACTIVE_AT] = time.time() if now is None else now


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_protected_path(request.path_info):
            return None  # first: touching request.user reads the session and adds "Vary: Cookie"
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        session = request.session
        now = time.time()
        if LOGIN_AT not in session:  # a session from before this rule: its limits start now
            session[LOGIN_AT] = now
            session[ACTIVE_AT] = now
        idle = now - session.get(ACTIVE_AT, now) > settings.SESSION_IDLE_TIMEOUT
        expired = now - session[LOGIN_AT] > settings.SESSION_ABSOLUTE_TIMEOUT
        if idle or expired:
            logout(request)
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"remaining": 0}, status=401)
            messages.info(
                request,
                _("You were logged out after %(minutes)s minutes without activity.")
                % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
                if idle
                else _("You were logged out: a login lasts at most %(hours)s hours.")
                % {"hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600},
            )
            query = urlencode({"next": request.path}) if request.method == "GET" else ""
            return redirect(reverse("portal:login") + (f"?{query}" if query else ""))
        match = request.resolver_match
        if getattr(view_func, "session_not_activity", False) or (match and match.view_name in NOT_ACTIVITY):
            return None
        if now - session.get(ACTIVE_AT, 0) >= WRITE_EVERY:
            mark_active(session, now)
        return None
