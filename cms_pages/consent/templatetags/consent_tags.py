from django import template
from django.template.loader import render_to_string

from cms_pages.consent import state
from cms_pages.consent.fragments import cached_fragment, declaration_version
from cms_pages.consent.models import CookieScan
from cms_pages.consent.views import banner_categories, declared_cookies

register = template.Library()

# The portal, the admin and the employee's signing and verification pages set only necessary cookies and
# must never run tracking scripts (they share the origin with the portal and carry signing tokens in the
# URL): no banner and no consent script there.
NO_BANNER_PREFIXES = ("/portal/", "/admin/", "/sign/", "/verify/")


@register.simple_tag(takes_context=True)
def consent_script(context):
    """The script that loads consented tracking scripts; absent where no tracking may ever run."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    request = context.get("request")
    if request is None or request.path.startswith(NO_BANNER_PREFIXES):
        return ""
    return format_html('<script src="{}" defer></script>', static("js/consent.js"))


@register.simple_tag(takes_context=True)
def consent_banner(context):
    """The banner partial: identical for every visitor, so the page around it stays cacheable."""
    request = context.get("request")
    if request is not None and request.path.startswith(NO_BANNER_PREFIXES):
        return ""

    def render():
        policy = state.current_cookie_policy()
        return render_to_string(
            "consent/banner.html",
            {
                "show": True,
                "categories": banner_categories(),
                "policy_url": policy.url if policy is not None else "",
            },
        )

    return cached_fragment("banner", render)


@register.simple_tag
def cookie_declaration():
    def render():
        return render_to_string(
            "consent/cookie_declaration.html",
            {
                "cookies": declared_cookies(),
                # The last scan that did check the site: a later failed one changes nothing here.
                "last_scan": CookieScan.objects.filter(finished_at__isnull=False, failed=False).first(),
            },
        )

    return cached_fragment("declaration", render, version=declaration_version())
