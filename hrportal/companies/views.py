"""Portal views for companies: signup, overview, users, the provider mandate, provider access, audit log.

Views stay thin: rules are in `signup.py`, `models.py`, `hrportal.tenancy` and `hrportal.audit.log`.
"""

from datetime import datetime, time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import SetPasswordForm
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.requests import client_ip
from hrportal.accounts.middleware import two_factor_exempt
from hrportal.accounts.twofactor import end_sessions, reset_devices
from hrportal.audit.log import record, record_denied_access
from hrportal.audit.models import Action, AuditEvent
from hrportal.companies import invitations, mandates, signup
from hrportal.companies.access import SESSION_COMPANY_KEY, companies_for
from hrportal.companies.forms import (
    ALREADY_INVITED,
    AuditFilterForm,
    InviteForm,
    MandateForm,
    SignupForm,
    SMSCodeForm,
)
from hrportal.companies.models import Company, Invitation, Mandate, Membership, SignupConfirmation
from hrportal.masking import mask_phone
from hrportal.responses import own_object
from hrportal.tenancy import member_required

SIGNUP_SESSION_KEY = "signup_confirmation_id"
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _overview(company) -> dict:
    """Counts for the overview, each one query through the scoped managers (the request's company)."""
    from django.db.models import Q

    from hrportal.documents.models import Document
    from hrportal.employees.models import Employee
    from hrportal.privacy.models import DataSubjectRequest

    today = timezone.localdate()
    open_requests = DataSubjectRequest.objects.filter(status=DataSubjectRequest.Status.OPEN)
    current = Employee.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    return {
        "active_employees": current.count(),
        "awaiting_signatures": Document.objects.filter(status=Document.Status.AWAITING_SIGNATURES).count(),
        "open_requests": open_requests.count(),
        "next_request_due": open_requests.order_by("due_on").values_list("due_on", flat=True).first(),
    }


def dashboard(request):
    company = getattr(request, "company", None)
    context = {"company": company, "via_mandate": getattr(request, "via_mandate", False)}
    if company is not None:
        context["mandate"] = company.active_mandate()
        context["member_count"] = Membership.objects.filter(company=company).count()
        context["overview"] = _overview(company)
    # Members of several companies (e.g. after accepting an invitation with their account) switch here.
    context["other_companies"] = (
        companies_for(request.user)
        .filter(memberships__user=request.user)
        .exclude(pk=getattr(company, "pk", None))
        .order_by("name")[:20]
    )
    if request.user.is_staff:
        context["mandated_companies"] = companies_for(request.user).exclude(memberships__user=request.user)[
            :20
        ]
    return render(request, "hrportal/dashboard.html", context)


# --- Signup ---------------------------------------------------------------------------------------------


@two_factor_exempt
def signup_start(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and signup.signup_rate_limited(client_ip(request)):
        form.is_valid()
        form.add_error(None, _("Too many signups from your network. Try again in an hour."))
        return render(request, "hrportal/companies/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        if form.email_taken():
            # Same answer as a new signup (no account enumeration); the owner of the address is told.
            send_mail(
                _("Someone tried to sign up with your email"),
                render_to_string(
                    "emails/signup_email_taken.txt", {"login": request.build_absolute_uri("/portal/login/")}
                ),
                None,
                [form.cleaned_data["email"]],
            )
            return redirect("portal:signup_check_email")
        confirmation = signup.start_signup(data=form.cleaned_data, ip=client_ip(request))
        request.session[SIGNUP_SESSION_KEY] = confirmation.pk
        base_url = f"{request.scheme}://{request.get_host()}"
        transaction.on_commit(lambda: signup.send_confirmation_email(confirmation, base_url))
        return redirect("portal:signup_check_email")
    return render(request, "hrportal/companies/signup.html", {"form": form})


@two_factor_exempt
def signup_check_email(request):
    return render(request, "hrportal/companies/signup_check_email.html")


@two_factor_exempt
def signup_confirm_email(request, token):
    """GET shows a button, POST confirms: link scanners that prefetch URLs confirm nothing."""
    try:
        if request.method == "POST":
            confirmation = signup.confirm_email(token)
            request.session[SIGNUP_SESSION_KEY] = confirmation.pk
            return redirect("portal:signup_mobile")
    except signup.SignupError as error:
        return render(request, "hrportal/companies/signup_error.html", {"error": str(error)}, status=400)
    return render(request, "hrportal/companies/signup_confirm_email.html")


def _signup_in_session(request) -> SignupConfirmation:
    pk = request.session.get(SIGNUP_SESSION_KEY)
    confirmation = (
        SignupConfirmation.objects.filter(pk=pk, company__status=Company.Status.PENDING)
        .select_related("company")
        .first()
    )
    if confirmation is None or confirmation.email_verified_at is None:
        raise Http404("No signup in progress")
    return confirmation


@two_factor_exempt
def signup_mobile(request):
    confirmation = _signup_in_session(request)
    if confirmation.mobile_verified_at:
        return redirect("portal:signup_password")
    form = SMSCodeForm()
    error = None
    if request.method == "POST":
        try:
            if "send" in request.POST:
                signup.send_sms_code(confirmation)
                messages.info(request, _("We sent a code to your mobile."))
                return redirect("portal:signup_mobile")
            form = SMSCodeForm(request.POST)
            if form.is_valid():
                if signup.verify_sms_code(confirmation, form.cleaned_data["code"]):
                    return redirect("portal:signup_password")
                form.add_error("code", _("The code is wrong. Check the text message and try again."))
        except signup.SignupError as exc:
            error = str(exc)
    context = {"form": form, "mobile": mask_phone(confirmation.signer_mobile), "error": error}
    return render(request, "hrportal/companies/signup_mobile.html", context)


@two_factor_exempt
def signup_password(request):
    confirmation = _signup_in_session(request)
    if confirmation.mobile_verified_at is None:
        return redirect("portal:signup_mobile")
    user = signup.signer_of(confirmation)
    if user.has_usable_password():
        return redirect("portal:login")
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        request.session.pop(SIGNUP_SESSION_KEY, None)
        auth_login(request, user, backend=AUTH_BACKEND)
        return redirect(reverse("portal:twofactor_setup") + "?next=" + reverse("portal:dashboard"))
    return render(request, "hrportal/companies/signup_password.html", {"form": form})


# --- Invitations ------------------------------------------------------------------------------------------


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


# --- Users of the company -----------------------------------------------------------------------------------


def _users_page(request, form, status=200):
    memberships = (
        Membership.objects.filter(company=request.company).select_related("user").order_by("user__email")
    )
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "invitations": invitations.open_invitations()}
    return render(request, "hrportal/companies/users.html", context, status=status)


@member_required
def users(request):
    return _users_page(request, InviteForm(company=request.company))


@member_required
@require_POST
def user_invite(request):
    """The same answer, audit event and email subject whether the email has an account anywhere or not."""
    form = InviteForm(request.POST, company=request.company)
    if not form.is_valid():
        return _users_page(request, form, status=400)
    email, name = form.cleaned_data["email"], form.cleaned_data["name"]
    try:
        with transaction.atomic():
            invitation, token = invitations.create_invitation(
                company=request.company, email=email, name=name, created_by=request.user
            )
    except IntegrityError:  # the same email invited at the same moment (a double submit)
        form.add_error("email", ALREADY_INVITED)
        return _users_page(request, form, status=400)
    record(Action.USER_INVITED, request=request, target=invitation)
    context = {
        "company": request.company.name,
        "inviter": request.user.get_full_name(),
        "link": request.build_absolute_uri(reverse("portal:invite_accept", args=[token])),
        "has_account": invitations.account_state(invitations.account_for(invitation))
        != invitations.NEW_ACCOUNT,
    }
    subject = _("You are invited to %(company)s on Ansatte") % {"company": request.company.name}
    body = render_to_string("emails/invite.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
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
    if membership.user_id == request.user.pk:
        messages.error(request, _("You cannot remove yourself. Ask another administrator."))
        return redirect("portal:users")
    if request.method == "POST":
        user = membership.user
        membership.delete()
        record(Action.USER_REMOVED, request=request, target=user)
        if not user.memberships.exists() and not user.is_staff and not user.is_superuser:
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
            reset_devices(user)
        messages.success(request, _("The user was removed from the company."))
        return redirect("portal:users")
    return render(request, "hrportal/companies/user_remove.html", {"membership": membership})


@member_required
def user_reset_device(request, user_id):
    """A colleague lost their phone: remove their authenticator so they enrol a new one at next login.

    Only for users who belong to this company alone: resetting removes the devices everywhere, so a
    colleague must not be able to strip the second factor of provider staff or of someone who also
    administers another company.
    """
    membership, not_found = _member_or_404(request, user_id)
    if not_found is not None:
        return not_found
    target = membership.user
    if target.is_staff or target.is_superuser or target.memberships.count() > 1:
        messages.error(request, _("This user's authenticator can only be reset by Ansatte's support."))
        return redirect("portal:users")
    if request.method == "POST":
        reset_devices(target)
        end_sessions(target)
        record(Action.DEVICE_RESET, request=request, target=membership.user)
        messages.success(request, _("The authenticator was reset. The user sets up a new one at next login."))
        return redirect("portal:users")
    return render(request, "hrportal/companies/user_reset_device.html", {"membership": membership})


# --- The provider mandate ("medlemskab") -------------------------------------------------------------------


@member_required
def mandate(request):
    company = request.company
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        until = form.cleaned_data["valid_until"]
        valid_until = (
            timezone.make_aware(datetime.combine(until, time.max.replace(microsecond=0))) if until else None
        )
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


# --- Choosing the company to act for (members of several, provider staff) ---------------------------------


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


# --- Audit log --------------------------------------------------------------------------------------------


def _ids(events, target_type):
    return {int(e.target_id) for e in events if e.target_type == target_type and e.target_id.isdigit()}


def _attach_employees(events):
    """Set `event.employee` (the Employee, or "erased") on each event about an employee or their document,
    and `event.reveal_reason` (its label) on each CPR reveal.

    The log stores ids only; names are read here, through the request's company scope, and decrypted when
    the template shows them, so a name is never written into the log and an erased person stays erased.
    """
    from hrportal.documents.models import Document
    from hrportal.employees.forms import CprRevealReason
    from hrportal.employees.models import Employee

    events = list(events)
    document_ids = _ids(events, "documents.document")
    owner_of_document = dict(
        Document.objects.filter(pk__in=document_ids).values_list("pk", "employee_id") if document_ids else []
    )
    wanted = {}
    for event in events:
        if event.target_type == "employees.employee" and event.target_id.isdigit():
            wanted[event.pk] = int(event.target_id)
        elif event.target_type == "documents.document" and event.target_id.isdigit():
            wanted[event.pk] = owner_of_document.get(int(event.target_id), "erased")
    employee_ids = {value for value in wanted.values() if value != "erased"}
    found = {e.pk: e for e in Employee.objects.filter(pk__in=employee_ids)} if employee_ids else {}
    reasons = dict(CprRevealReason.choices)
    for event in events:
        if event.pk in wanted:
            event.employee = found.get(wanted[event.pk], "erased")
        if event.action == Action.CPR_REVEALED and event.details.get("reason"):
            event.reveal_reason = reasons.get(event.details["reason"], event.details["reason"])


@member_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.for_company(request.company.pk)
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["date_from"]:
            events = events.filter(created_at__date__gte=form.cleaned_data["date_from"])
        if form.cleaned_data["date_to"]:
            events = events.filter(created_at__date__lte=form.cleaned_data["date_to"])
    page = Paginator(events.order_by("-id"), 50).get_page(request.GET.get("page"))
    actor_ids = {e.actor_id for e in page.object_list if e.actor_id}
    actors = {u.pk: u for u in get_user_model().objects.filter(pk__in=actor_ids)}
    _attach_employees(page.object_list)
    rows = [(event, actors.get(event.actor_id)) for event in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hrportal/companies/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
