"""Tenant isolation: for every portal URL that takes an object id, another company's id is a 404 for GET
and POST, and nothing changes. A new URL with an id that is not classified here fails the suite."""

import pytest
from django.test import Client

from hrportal.audit.models import Action, AuditEvent, Outcome
from hrportal.companies.models import Company, Mandate, Membership
from tests.conftest import login_verified, make_admin
from tests.factories import (
    InvitationFactory,
    gdpr_acceptance,
    gdpr_employee,
    gdpr_invoice,
    gdpr_request,
    make_document,
    make_document_employee,
    make_employee,
    make_finished_export,
    make_job,
)
from tests.hrportal.urlwalk import routes_under

# URL name -> how to build kwargs pointing at `other` (the other company's world).
OBJECT_URLS = {
    "portal:user_remove": lambda other: {"user_id": other["admin"].pk},
    "portal:user_reset_device": lambda other: {"user_id": other["admin"].pk},
    "portal:invitation_cancel": lambda other: {
        "invitation_id": InvitationFactory(company=other["company"]).pk
    },
    "portal:switch_company": lambda other: {"company_id": other["company"].pk},
    "portal:employees:detail": lambda other: {"pk": other["employee"].pk},
    "portal:employees:edit": lambda other: {"pk": other["employee"].pk},
    "portal:employees:end": lambda other: {"pk": other["employee"].pk},
    "portal:employees:reveal_cpr": lambda other: {"pk": other["employee"].pk},
    "portal:employees:photo": lambda other: {"pk": other["employee"].pk},
    "portal:employees:photo_edit": lambda other: {"pk": other["employee"].pk},
    "portal:employees:photo_remove": lambda other: {"pk": other["employee"].pk},
    "portal:dpa_acceptance_pdf": lambda other: {"acceptance_id": gdpr_acceptance(other["company"]).pk},
    "portal:invoice_pdf": lambda other: {"invoice_id": gdpr_invoice(other["company"]).pk},
    "portal:request_detail": lambda other: {"request_id": gdpr_request(other["company"]).pk},
    "portal:employee_privacy": lambda other: {"employee_id": gdpr_employee(other["company"]).pk},
    "portal:employee_export": lambda other: {"employee_id": gdpr_employee(other["company"]).pk},
    "portal:employee_rectify": lambda other: {"employee_id": gdpr_employee(other["company"]).pk},
    "portal:employee_restriction": lambda other: {"employee_id": gdpr_employee(other["company"]).pk},
    "portal:employee_erase": lambda other: {"employee_id": gdpr_employee(other["company"]).pk},
    "portal:employee_documents": lambda other: {"employee_id": make_document_employee(other["company"]).pk},
    "portal:document_upload": lambda other: {"employee_id": make_document_employee(other["company"]).pk},
    "portal:document_new": lambda other: {
        "employee_id": make_document_employee(other["company"]).pk,
        "template": "contract",
    },
    "portal:document_detail": lambda other: {"document_id": make_document(other["company"]).pk},
    "portal:document_download": lambda other: {"document_id": make_document(other["company"]).pk},
    "portal:document_download_signed": lambda other: {"document_id": make_document(other["company"]).pk},
    "portal:document_void": lambda other: {"document_id": make_document(other["company"]).pk},
    "portal:document_contract_items": lambda other: {"document_id": make_document(other["company"]).pk},
    "portal:document_send": lambda other: {"document_id": make_document(other["company"]).pk},
    "portal:document_sign": lambda other: {"document_id": make_document(other["company"]).pk},
    "portal:job_detail": lambda other: {"job_id": make_job(other["company"], created_by=other["admin"]).pk},
    "portal:job_download": lambda other: {
        "job_id": make_finished_export(other["company"], other["admin"]).pk
    },
}
# URLs whose parameters are signed tokens, not object ids (checked in their own tests).
TOKEN_URLS = {
    "portal:signup_confirm_email",
    "portal:invite_accept",
    "portal:password_reset_confirm",
    "portal:deletion_status",
}


def portal_routes_with_parameters():
    return [r for r in routes_under("/portal/") if r.kwargs]


def test_every_portal_url_with_parameters_is_classified():
    unclassified = {r.name for r in portal_routes_with_parameters()} - set(OBJECT_URLS) - TOKEN_URLS
    assert not unclassified, f"classify these in OBJECT_URLS or TOKEN_URLS: {sorted(unclassified)}"


def other_world(other_company):
    """The other company's objects, one of each kind a portal URL can point at."""
    return {
        "company": other_company,
        "admin": make_admin(other_company),
        "employee": make_employee(other_company, name="Anden Medarbejder"),
    }


def snapshot():
    from django.apps import apps

    from hrportal.tenancy import TenantModel

    tenant_rows = {
        model._meta.label: list(model.unscoped.order_by("pk").values())
        for model in apps.get_models()
        if issubclass(model, TenantModel)
    }
    return {
        **tenant_rows,
        "companies": list(Company.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "mandates": list(Mandate.objects.order_by("pk").values()),
        "users": list(
            Membership.objects.order_by("pk").values("user__password", "user__is_active", "user__last_login")
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_companys_ids_are_404_and_change_nothing(
    company, other_company, admin_user, method, monkeypatch
):
    from django.urls import reverse

    # The hourly cap on denied events (tested below) would hide which URL forgot to audit.
    monkeypatch.setattr("hrportal.audit.log.DENIED_EVENTS_PER_HOUR", 10_000)
    other = other_world(other_company)
    urls = [reverse(name, kwargs=build(other)) for name, build in OBJECT_URLS.items()]  # objects made first
    client = login_verified(Client(), admin_user)
    before = snapshot()
    in_other_log = AuditEvent.objects.filter(company_id=other_company.pk, actor_id=admin_user.pk)
    failures = []
    for url in urls:
        seen = in_other_log.count()
        response = getattr(client, method)(url)
        if response.status_code != 404:
            failures.append(f"{method.upper()} {url} -> {response.status_code}")
        # Each attempt is visible to the other company as exactly one denied access, and nothing else.
        new = list(in_other_log.order_by("id")[seen:].values_list("action", "outcome"))
        if new != [(Action.CROSS_COMPANY_DENIED, Outcome.DENIED)]:
            failures.append(f"{method.upper()} {url} -> audited in the other company as {new}")
    assert not failures, "\n".join(failures)
    assert snapshot() == before


@pytest.mark.django_db
def test_own_company_ids_work_for_the_same_urls(company, admin_user):
    """The 404s above are isolation, not broken views: the same URLs work on one's own objects."""
    colleague = make_admin(company)
    client = login_verified(Client(), admin_user)
    assert client.get(f"/portal/users/{colleague.pk}/remove/").status_code == 200
    assert client.get(f"/portal/users/{colleague.pk}/reset-device/").status_code == 200
    invitation = InvitationFactory(company=company)
    assert client.get(f"/portal/users/invitations/{invitation.pk}/cancel/").status_code == 200
    assert client.post(f"/portal/companies/{company.pk}/switch/").status_code == 302


# Models with a `company` foreign key that are deliberately not TenantModel (no scoped default manager),
# each with the reason. A new model pointing at a company fails below until it is scoped or listed here.
UNSCOPED_COMPANY_MODELS = {
    "companies.Membership": "who may act for which company: read to resolve the scope, before one exists",
    "companies.Mandate": "provider staff list the companies with an active mandate, across companies",
    "companies.SignupConfirmation": "written during signup, before the company is active or has a user",
    "encryption.DataKey": "the encryption layer unwraps the key of the company a value belongs to; no view",
    "employees.EmployeeListVersion": "a random cache token per company, no personal data; no view",
}


def test_every_model_with_a_company_key_is_scoped_or_explicitly_exempt():
    from django.apps import apps

    from hrportal.tenancy import TenantModel

    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Company
    }
    unscoped = {label for label in pointing if not issubclass(apps.get_model(label), TenantModel)} - set(
        UNSCOPED_COMPANY_MODELS
    )
    assert not unscoped, f"make these TenantModel or list them with a reason: {sorted(unscoped)}"
    assert set(UNSCOPED_COMPANY_MODELS) <= pointing, "stale entries in UNSCOPED_COMPANY_MODELS"
    assert not {label for label in UNSCOPED_COMPANY_MODELS if issubclass(apps.get_model(label), TenantModel)}


@pytest.mark.django_db
def test_tenant_manager_refuses_to_query_without_a_scope():
    from hrportal.tenancy import ScopeError, TenantModel

    concrete = [m for m in __import__("django").apps.apps.get_models() if issubclass(m, TenantModel)]
    for model in concrete:
        with pytest.raises(ScopeError):
            list(model.objects.all())


@pytest.mark.django_db
def test_denied_attempts_cannot_flood_the_other_companys_audit_log(
    company, other_company, admin_user, settings
):
    """Walking another company's ids is audited there, capped per hour; the excess is counted, not lost."""
    import datetime

    settings.SESSION_IDLE_TIMEOUT = 3 * 3600  # the clock jumps hours ahead; the session must outlive it

    from django.utils import timezone
    from freezegun import freeze_time

    from hrportal.audit.log import DENIED_EVENTS_PER_HOUR, verify_chain

    employee = make_employee(other_company, name="Anden Medarbejder")
    client = login_verified(Client(), admin_user)
    denied = AuditEvent.objects.filter(company_id=other_company.pk, action=Action.CROSS_COMPANY_DENIED)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
    with freeze_time(start):
        for _ in range(DENIED_EVENTS_PER_HOUR + 15):
            assert client.get(f"/portal/employees/{employee.pk}/").status_code == 404
        assert denied.count() == DENIED_EVENTS_PER_HOUR
    with freeze_time(start + datetime.timedelta(hours=1)):
        assert client.get(f"/portal/employees/{employee.pk}/").status_code == 404
        latest = denied.order_by("-pk").first()
        assert latest.details == {"suppressed_in_previous_hour": 15}
    # Another actor has a quota of their own: one flooder cannot silence the log for everyone.
    other_actor = login_verified(Client(), make_admin(company))
    with freeze_time(start + datetime.timedelta(hours=1)):
        assert other_actor.get(f"/portal/employees/{employee.pk}/").status_code == 404
    assert denied.count() == DENIED_EVENTS_PER_HOUR + 2
    assert verify_chain(other_company.pk) is None
