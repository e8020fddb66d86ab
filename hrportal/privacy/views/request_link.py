"""Settings > Data-subject requests > the company's link for employees: shown with its QR code, replaced on
demand (which kills the old link). Members only, as every page of the company's privacy settings."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hrportal.privacy import employee_requests
from hrportal.tenancy import member_required


@member_required
def request_link(request):
    link = employee_requests.current_link()
    url = employee_requests.link_url(link) if link else ""
    return render(
        request,
        "hrportal/privacy/request_link.html",
        {"link": link, "url": url, "qr": employee_requests.qr_svg(url) if url else ""},
    )


@member_required
def request_link_regenerate(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    had_link = employee_requests.current_link() is not None
    employee_requests.regenerate_link(user=request.user)
    if had_link:
        messages.success(request, _("A new link was made. The old link no longer works."))
    else:
        messages.success(request, _("The link was made. Give it to your employees."))
    return redirect("portal:request_link")
