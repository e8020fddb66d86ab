"""What the account views share: where to go next, and which company an account event is logged under."""

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from hrportal.employees.cpr import contains_cpr


def safe_next(request, default="portal:dashboard"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and contains_cpr(target):  # never carried on (see middleware._next_without_cpr)
        target = target.split("?", 1)[0]
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def first_company_id(user):
    membership = user.memberships.order_by("created_at").first()
    return membership.company_id if membership else None
