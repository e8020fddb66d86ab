from django import template
from django.template.loader import render_to_string

from cms_pages.consent import state
from cms_pages.consent.fragments import cached_fragment, declaration_version
from cms_pages.consent.models import CookieScan
from cms_pages.consent.views import banner_categories, declared_cookies

register = template.Library()

# The portal, the admin and the employee's signing and verification pages set only necessary cookies and
# must never run tracking scripts (they live on the app host and carry signing tokens in the URL): no
# banner and no consent script there.
NO_BANNER_PREFIXES = ("/portal/", "/admin/", "/sign/", "/verify/")


def _no_tracking(request) -> bool:
    """No tracking on the app's pages, nor in a Wagtail preview: a preview renders a public page's template
    for a request whose path is the page's own (Wagtail's dummy request), inside the admin, whatever consent
    the editor's browser holds."""
    return (
        request is None
        or request.path.startswith(NO_BANNER_PREFIXES)
        or getattr(request, "is_preview", False)
    )


@register.simple_tag(takes_context=True)
def consent_script(context):
    """The script that loads consented tracking scripts; absent where no tracking may ever run."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    if _no_tracking(context.get("request")):
        return ""
    return format_html('<script src="{}" defer></script>', static("js/consent.js"))


@register.simple_tag(takes_context=True)
def consent_banner(context):
    """The banner partial: identical for every visitor, so the page around it stays cacheable."""
    request = context.get("request")
    if request is not None and _no_tracking(request):
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
