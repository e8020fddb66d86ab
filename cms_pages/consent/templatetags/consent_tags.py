from django import template

from cms_pages.consent import state
from cms_pages.consent.models import CookieScan
from cms_pages.consent.views import banner_categories, declared_cookies

register = template.Library()

# The portal and the admin set only necessary cookies and load no tracking scripts: no banner there.
NO_BANNER_PREFIXES = ("/portal/", "/admin/")


@register.inclusion_tag("consent/banner.html", takes_context=True)
def consent_banner(context):
    """The banner partial: identical for every visitor, so the page around it stays cacheable."""
    request = context.get("request")
    if request is not None and request.path.startswith(NO_BANNER_PREFIXES):
        return {"show": False}
    policy = state.current_cookie_policy()
    return {
        "show": True,
        "categories": banner_categories(),
        "policy_url": policy.url if policy is not None else "",
        "request": request,
    }


@register.inclusion_tag("consent/cookie_declaration.html", takes_context=True)
def cookie_declaration(context):
    return {
        "cookies": declared_cookies(),
        "last_scan": CookieScan.objects.filter(finished_at__isnull=False, error="").first(),
        "request": context.get("request"),
    }
