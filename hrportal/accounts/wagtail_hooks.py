"""The Wagtail admin gets the portal's idle-timeout warning (hrportal/accounts/sessions.py)."""

from django.template.loader import render_to_string
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def session_timeout_warning():
    return render_to_string("hrportal/includes/session_timeout.html")
