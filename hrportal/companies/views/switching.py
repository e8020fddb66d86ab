"""Choosing the company to act for: members of several companies, and provider staff under mandates.

Which companies a user may act for is `hrportal.companies.access.companies_for`, the same answer the
middleware uses to scope every request; the choice only goes into the session.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from hrportal.audit.log import record_denied_access
from hrportal.companies.access import SESSION_COMPANY_KEY, companies_for
from hrportal.companies.models import Company


def provider_companies(request):
    if not request.user.is_staff:
        raise Http404
    companies = companies_for(request.user).order_by("name")
    page = Paginator(companies, 50).get_page(request.GET.get("page"))
    return render(request, "hrportal/companies/provider_companies.html", {"page": page})


def switch_company(request, company_id):
    """POST only; another company's id is a 404 (and audited) whatever the method."""
    allowed = companies_for(request.user).filter(pk=company_id).exists()
    if not allowed:
        record_denied_access(
            request,
            company_id=company_id if Company.objects.filter(pk=company_id).exists() else None,
            target_type="companies.company",
            target_id=company_id,
        )
        # A response, not `raise Http404`: raising rolls back the request transaction, audit included.
        return render(request, "404.html", status=404)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    request.session[SESSION_COMPANY_KEY] = int(company_id)
    return redirect("portal:dashboard")
