from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms_pages.contact import services
from cms_pages.contact.forms import ContactForm
from cms_pages.contact.models import ContactMessage
from config.requests import client_ip, hash_ip, rate_limited


@never_cache
@require_http_methods(["GET", "POST"])
def contact(request):
    """Uncached form page; `?subject=complaint` preselects "Complaint about my rights"."""
    subject = request.GET.get("subject")
    initial = {"subject": subject} if subject in ContactMessage.Subject.values else {}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if rate_limited(request, "contact", settings.CONTACT_RATE_LIMIT_PER_HOUR):
            return render(request, "contact/rate_limited.html", status=429)
        if form.is_valid():
            message = form.save(commit=False)
            message.language = get_language()
            message.ip_hash = hash_ip(client_ip(request))
            services.receive(message, request)
            return redirect("contact:thanks")
    return render(request, "contact/contact_page.html", {"form": form})


@never_cache
def thanks(request):
    return render(request, "contact/thanks.html")
