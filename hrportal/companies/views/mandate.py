"""The provider mandate ("medlemskab"): the company's own admins let Ansatte's staff in, and end it.

Only members may grant or revoke (`member_required`): staff acting under a mandate must not be able to
extend their own access. Granting and revoking are serialised in `hrportal.companies.mandates`.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrportal.companies import mandates
from hrportal.companies.forms import MandateForm
from hrportal.companies.models import Mandate
from hrportal.tenancy import member_required


@member_required
def mandate(request):
    company = request.company
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        valid_until = mandates.valid_through(form.cleaned_data["valid_until"])
        if mandates.grant(company, request.user, valid_until, request=request) is not None:
            messages.success(request, _("Ansatte's staff can now help your company."))
        return redirect("portal:mandate")
    active = company.active_mandate()
    history = Mandate.objects.filter(company=company).select_related("granted_by", "revoked_by")[:50]
    return render(
        request, "hrportal/companies/mandate.html", {"form": form, "active": active, "history": history}
    )


@member_required
@require_POST
def mandate_revoke(request):
    if mandates.revoke(request.company, request.user, request=request):
        messages.success(request, _("The mandate is revoked. Ansatte's staff no longer have access."))
    return redirect("portal:mandate")
