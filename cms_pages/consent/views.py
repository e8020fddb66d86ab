"""Consent endpoints. Pages stay cacheable: the banner HTML is the same for everyone, and these small
uncached endpoints hand out the CSRF token, the site-wide consent config and record the choice."""

import json

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Locale

from cms_pages.consent import state
from cms_pages.consent.models import (
    CATEGORY_PURPOSES,
    OPTIONAL_CATEGORIES,
    UNCLASSIFIED,
    Category,
    ConsentRecord,
    CookieDeclaration,
    TrackingScript,
)
from cms_pages.consent.services import (
    ACCEPT_ALL,
    CUSTOM,
    REJECT_ALL,
    parse_cookie,
    record_consent,
    set_consent_cookie,
)
from config.requests import rate_limited

CHOICES = {ACCEPT_ALL, REJECT_ALL, CUSTOM}


@never_cache
@require_GET
def csrf_token(request):
    """The token forms on cached pages send as X-CSRFToken (or in their hidden field)."""
    return JsonResponse({"csrfToken": get_token(request)})


@require_GET
def consent_config(request):
    """Site-wide, the same for every visitor: which scripts each category unlocks, and the epoch."""
    response = JsonResponse(
        {
            "epoch": state.consent_epoch(),
            "bannerVersion": state.banner_version(),
            "cookieName": settings.CONSENT_COOKIE_NAME,
            "scripts": [s.as_json() for s in TrackingScript.objects.filter(active=True)],
            "cookies": [
                {"name": c.name, "category": c.category}
                for c in CookieDeclaration.objects.filter(
                    party=CookieDeclaration.Party.FIRST, locale=Locale.get_default()
                ).exclude(category=Category.NECESSARY)
            ],
        }
    )
    # Revalidate each time: a proxy may share it, but a published material policy must show at once.
    response["Cache-Control"] = "public, no-cache"
    return response


@never_cache
@require_POST
def give_consent(request):
    """Record a choice, from consent.js (JSON) or from the no-JavaScript settings form."""
    if rate_limited(request, "consent", settings.CONSENT_RATE_LIMIT_PER_HOUR):
        return JsonResponse({"error": "rate_limited"}, status=429)
    is_json = request.content_type == "application/json"
    if is_json:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return HttpResponseBadRequest("invalid JSON")
        choice, categories, language = data.get("choice"), data.get("categories"), data.get("language")
        if not isinstance(categories, list | type(None)):
            return HttpResponseBadRequest("categories must be a list")
    else:
        choice = request.POST.get("choice")
        categories = request.POST.getlist("categories")
        language = request.POST.get("language") or get_language()
    if choice not in CHOICES:
        return HttpResponseBadRequest("unknown choice")
    record = record_consent(request, choice=choice, categories=categories, language=language or "")
    receipt_url = _receipt_url(record)
    if is_json:
        response = JsonResponse(
            {
                "consentId": str(record.consent_id),
                "categories": record.categories,
                "epoch": record.epoch,
                "receiptUrl": receipt_url,
            },
            status=201,
        )
    else:
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = receipt_url
        response = redirect(next_url)
    set_consent_cookie(response, request, record)
    return response


def _receipt_url(record):
    from django.urls import reverse
    from django.utils import translation

    with translation.override(record.language):
        return reverse("consent:receipt", args=[record.consent_id])


@never_cache
@require_http_methods(["GET"])
def consent_settings(request):
    """The no-JavaScript fallback of the banner: an uncached page with a plain form."""
    current = parse_cookie(request.COOKIES.get(settings.CONSENT_COOKIE_NAME))
    chosen = set(current["categories"]) if current else set()
    return render(
        request,
        "consent/settings_page.html",
        {
            "categories": banner_categories(),
            "chosen": chosen,
            "current": current,
            "next": request.GET.get("next", ""),
        },
    )


@never_cache
@require_GET
def receipt(request, consent_id):
    record = _record_or_404(consent_id)
    return render(request, "consent/receipt.html", {"record": record})


@never_cache
@require_GET
def receipt_json(request, consent_id):
    record = _record_or_404(consent_id)
    response = JsonResponse(record.as_receipt(), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="consent-{record.consent_id}.json"'
    return response


def _record_or_404(consent_id):
    record = ConsentRecord.objects.filter(consent_id=consent_id).first()
    if record is None:
        raise Http404
    return record


def banner_categories():
    """Categories with their purposes and declared cookies, in the active language."""
    declarations = list(declared_cookies())
    return [
        {
            "value": category.value,
            "label": category.label,
            "purpose": CATEGORY_PURPOSES[category],
            "required": category == Category.NECESSARY,
            "cookies": [d for d in declarations if d.category == category.value],
        }
        for category in [Category.NECESSARY, *OPTIONAL_CATEGORIES]
    ]


def declared_cookies():
    """The declaration in the active language: each cookie's translation, else its source entry.

    Only entries an editor has classified: what `scan_cookies` adds on its own ("unclassified", with the
    host as provider and no purpose) waits in the editors' review queue (the admin's dashboard panel and
    e-mail, the snippet list filtered on "unclassified") until someone says what it is and who sets it. A
    visitor reads a declaration a person stands behind, not a crawler's raw finding."""
    default = Locale.get_default()
    active = Locale.get_active()
    rows = (
        CookieDeclaration.objects.filter(locale=default)
        .exclude(category=UNCLASSIFIED)
        .order_by("category", "name")
    )
    if active.pk == default.pk:
        return rows
    translated = {d.translation_key: d for d in CookieDeclaration.objects.filter(locale=active)}
    return [translated.get(row.translation_key, row) for row in rows]
