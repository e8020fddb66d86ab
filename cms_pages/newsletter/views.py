"""Newsletter pages. All uncached (they carry a CSRF token or a personal link); the signup form on
cached pages posts here after fetching its token (consent.js, data-csrf-fetch), and without JavaScript
comes here as a GET that shows this page's own form."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cms_pages.newsletter import services
from cms_pages.newsletter.forms import SignupForm
from config.requests import client_ip, hash_ip, rate_limited


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    """The form page, and where the footer form on cached pages leads: without JavaScript that form arrives
    here as a GET with the address typed in (it can carry no CSRF token), which only fills in this form;
    signing up is always the POST from a page with a token."""
    form = SignupForm(request.POST or None, initial=_initial(request))
    if request.method == "POST":
        if rate_limited(request, "newsletter", settings.NEWSLETTER_RATE_LIMIT_PER_HOUR):
            return render(request, "newsletter/rate_limited.html", status=429)
        if form.is_valid():
            services.request_subscription(form.cleaned_data["email"], form.cleaned_data["language"])
            return redirect("newsletter:check_email")
    return render(request, "newsletter/signup_page.html", {"form": form})


@never_cache
def check_email(request):
    return render(request, "newsletter/check_email.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    # GET only shows a button: mail scanners that follow links must not subscribe anyone.
    if request.method == "GET":
        valid = services.subscriber_from_token(
            token, salt=services.CONFIRM_SALT, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE
        )
        return render(request, "newsletter/confirm.html", {"valid": valid is not None})
    subscriber = services.confirm(token, ip_hash=hash_ip(client_ip(request)))
    if subscriber is None:
        return render(request, "newsletter/confirm.html", {"valid": False}, status=400)
    return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})


@never_cache
@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without our token; the signed link is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "GET":
        valid = services.subscriber_from_token(token, salt=services.UNSUBSCRIBE_SALT)
        return render(request, "newsletter/unsubscribe.html", {"valid": valid is not None})
    subscriber = services.unsubscribe(token)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse(status=200 if subscriber else 400)
    if subscriber is None:
        return render(request, "newsletter/unsubscribe.html", {"valid": False}, status=400)
    return render(request, "newsletter/unsubscribed.html")


def _initial(request) -> dict:
    language = request.GET.get("language")
    return {
        "email": request.GET.get("email", "")[:254],
        "language": language if language in dict(settings.LANGUAGES) else get_language(),
    }
