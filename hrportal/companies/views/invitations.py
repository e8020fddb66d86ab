"""Inviting more administrators, cancelling an invitation, and the invitee's side of the link.

The inviting side never learns whether the email has an account anywhere (same answer, audit event and
email subject either way); only the holder of the link sees what accepting means for them. The rules are
in `hrportal.companies.invitations`.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import SetPasswordForm
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config import mail
from hrportal.accounts.middleware import two_factor_exempt
from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.companies import invitations
from hrportal.companies.access import SESSION_COMPANY_KEY
from hrportal.companies.forms import ALREADY_INVITED, InviteForm
from hrportal.companies.models import Invitation
from hrportal.companies.views import AUTH_BACKEND
from hrportal.companies.views.members import users_page
from hrportal.responses import own_object
from hrportal.tenancy import member_required


@member_required
@require_POST
def user_invite(request):
    """The same answer, audit event and email subject whether the email has an account anywhere or not."""
    form = InviteForm(request.POST, company=request.company)
    if not form.is_valid():
        return users_page(request, form, status=400)
    email, name = form.cleaned_data["email"], form.cleaned_data["name"]
    try:
        with transaction.atomic():
            invitation, token = invitations.create_invitation(
                company=request.company, email=email, name=name, created_by=request.user
            )
    except IntegrityError:  # the same email invited at the same moment (a double submit)
        form.add_error("email", ALREADY_INVITED)
        return users_page(request, form, status=400)
    record(Action.USER_INVITED, request=request, target=invitation)
    context = {
        "company": request.company.name,
        "inviter": request.user.get_full_name(),
        "link": request.build_absolute_uri(reverse("portal:invite_accept", args=[token])),
        "has_account": invitations.account_state(invitations.account_for(invitation))
        != invitations.NEW_ACCOUNT,
    }
    subject = _("You are invited to %(company)s on Ansatte") % {"company": request.company.name}
    email_message = mail.message("emails/invite", context, subject=subject, to=[email])
    transaction.on_commit(email_message.send)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
    return redirect("portal:users")


@member_required
def invitation_cancel(request, invitation_id):
    invitation, not_found = own_object(request, Invitation, invitation_id)
    if not_found is not None:
        return not_found
    if request.method == "POST":
        record(Action.INVITATION_CANCELLED, request=request, target=invitation)
        invitation.delete()
        messages.success(request, _("The invitation was cancelled. Its link no longer works."))
        return redirect("portal:users")
    return render(request, "hrportal/companies/invitation_cancel.html", {"invitation": invitation})


def _invite_page(request, template, context, status=200):
    return render(request, f"hrportal/companies/{template}", context, status=status)


@two_factor_exempt
def invite_accept(request, token):
    """The invitee's page. What it asks depends on the account with the invitation's email (only the
    holder of the link sees that): choose a password (no usable account), or join with the account."""
    try:
        invitation = invitations.find_invitation(token, lock=request.method == "POST")
    except invitations.InvitationError as error:
        return _invite_page(request, "invite_error.html", {"error": str(error)}, status=400)
    account = invitations.account_for(invitation)
    state = invitations.account_state(account)
    context = {"invitation": invitation, "company": invitation.company}
    if request.user.is_authenticated and (account is None or request.user.pk != account.pk):
        return _invite_page(request, "invite_other_account.html", context, status=403)
    if state == invitations.DISABLED_ACCOUNT:
        return _invite_page(request, "invite_disabled.html", context, status=403)
    if state == invitations.NEW_ACCOUNT:
        return _accept_with_new_password(request, invitation, account, context)
    if not request.user.is_authenticated:
        context["login_url"] = reverse("portal:login") + "?" + urlencode({"next": request.path})
        return _invite_page(request, "invite_log_in.html", context)
    if not request.user.is_verified():
        return redirect(reverse("portal:login_verify") + "?" + urlencode({"next": request.path}))
    if request.method == "POST":
        invitations.accept(invitation, request.user, request=request)
        request.session[SESSION_COMPANY_KEY] = invitation.company_id
        messages.success(request, _("You joined %(company)s.") % {"company": invitation.company.name})
        return redirect("portal:dashboard")
    return _invite_page(request, "invite_join.html", context)


def _accept_with_new_password(request, invitation, account, context):
    user = invitations.new_account(invitation, account)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user.pk is None:
            user.language = translation.get_language() or settings.LANGUAGE_CODE
        form.save()
        invitations.accept(invitation, user, request=request)
        auth_login(request, user, backend=AUTH_BACKEND)
        request.session[SESSION_COMPANY_KEY] = invitation.company_id
        return redirect(reverse("portal:twofactor_setup") + "?next=" + reverse("portal:dashboard"))
    return _invite_page(request, "invite_accept.html", {**context, "form": form})
