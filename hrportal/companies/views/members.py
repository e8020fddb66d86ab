"""The company's users page, and removing a colleague or resetting their authenticator.

Who may be removed or reset is decided in `hrportal.companies.members`; these views look the member up
(another company's user is a 404, audited there), show a confirmation page and pass the decision on.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hrportal.audit.log import record_denied_access
from hrportal.companies import invitations, members
from hrportal.companies.forms import InviteForm
from hrportal.companies.models import Membership
from hrportal.tenancy import member_required


def users_page(request, form, status=200):
    """The page of members and open invitations, also shown again by a refused invitation (`form`)."""
    memberships = (
        Membership.objects.filter(company=request.company).select_related("user").order_by("user__email")
    )
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "invitations": invitations.open_invitations()}
    return render(request, "hrportal/companies/users.html", context, status=status)


@member_required
def users(request):
    return users_page(request, InviteForm(company=request.company))


def _member_or_404(request, user_id):
    """(membership, None) for a member of the request's company, else (None, 404 response).

    A user of another company (or no company) is a denied cross-company attempt and is audited in the
    log of the company the user belongs to, like `own_object` does for tenant-owned rows. A response,
    not `raise Http404`: raising would roll the request's transaction back, audit event included.
    """
    membership = (
        Membership.objects.select_related("user").filter(company=request.company, user_id=user_id).first()
    )
    if membership is not None:
        return membership, None
    if get_user_model().objects.filter(pk=user_id).exists():
        foreign = (
            Membership.objects.filter(user_id=user_id)
            .order_by("created_at")
            .values_list("company_id", flat=True)
            .first()
        )
        record_denied_access(request, company_id=foreign, target_type="accounts.user", target_id=user_id)
    return None, render(request, "404.html", status=404)


@member_required
def user_remove(request, user_id):
    membership, not_found = _member_or_404(request, user_id)
    if not_found is not None:
        return not_found
    try:
        members.check_removal(membership, request.user)
    except members.Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("portal:users")
    if request.method == "POST":
        members.remove(membership, actor=request.user, request=request)
        messages.success(request, _("The user was removed from the company."))
        return redirect("portal:users")
    return render(request, "hrportal/companies/user_remove.html", {"membership": membership})


@member_required
def user_reset_device(request, user_id):
    """A colleague lost their phone: remove their authenticator so they enrol a new one at next login."""
    membership, not_found = _member_or_404(request, user_id)
    if not_found is not None:
        return not_found
    try:
        members.check_device_reset(membership)
    except members.Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("portal:users")
    if request.method == "POST":
        members.reset_device(membership, actor=request.user, request=request)
        messages.success(request, _("The authenticator was reset. The user sets up a new one at next login."))
        return redirect("portal:users")
    return render(request, "hrportal/companies/user_reset_device.html", {"membership": membership})
