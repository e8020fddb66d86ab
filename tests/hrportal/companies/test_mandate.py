"""The provider mandate: staff see and open only companies with an active mandate, every access is audited,
and revocation or expiry takes effect from the next request."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from hrportal.audit.models import Action, AuditEvent
from hrportal.companies.models import Mandate
from tests.conftest import login_verified
from tests.factories import MandateFactory


def open_company(client, company):
    return client.post(f"/portal/companies/{company.pk}/switch/")


@pytest.mark.django_db
def test_staff_without_a_mandate_see_nothing_and_get_404(staff_client, company):
    page = staff_client.get("/portal/companies/")
    assert company.name not in page.content.decode()
    assert open_company(staff_client, company).status_code == 404
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.CROSS_COMPANY_DENIED).exists()


@pytest.mark.django_db
def test_admin_grants_staff_open_and_every_access_is_logged_for_the_company(
    admin_client, staff_client, company
):
    response = admin_client.post("/portal/mandate/", {"confirm": "on"})
    assert response.status_code == 302
    assert Mandate.objects.active().filter(company=company).exists()
    assert company.name in staff_client.get("/portal/companies/").content.decode()
    assert open_company(staff_client, company).status_code == 302
    dashboard = staff_client.get("/portal/")
    assert company.name in dashboard.content.decode()
    accesses = AuditEvent.objects.filter(company_id=company.pk, action=Action.PROVIDER_ACCESS)
    assert accesses.count() >= 1 and all(e.actor_is_provider for e in accesses)
    log = admin_client.get("/portal/audit/?action=provider_access")
    assert "Ansatte" in log.content.decode() and log.status_code == 200


@pytest.mark.django_db
def test_staff_under_a_mandate_cannot_administer_the_company(staff_client, company):
    MandateFactory(company=company)
    open_company(staff_client, company)
    for url in ("/portal/users/", "/portal/mandate/", "/portal/audit/"):
        assert staff_client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_revocation_takes_effect_on_the_next_request(admin_client, staff_client, company):
    admin_client.post("/portal/mandate/", {"confirm": "on"})
    open_company(staff_client, company)
    assert company.name in staff_client.get("/portal/").content.decode()
    admin_client.post("/portal/mandate/revoke/")
    assert company.name not in staff_client.get("/portal/").content.decode()
    assert open_company(staff_client, company).status_code == 404
    mandate = Mandate.objects.get(company=company)
    assert mandate.revoked_at is not None  # history kept, not deleted
    actions = set(AuditEvent.objects.filter(company_id=company.pk).values_list("action", flat=True))
    assert {Action.MANDATE_GRANTED, Action.MANDATE_REVOKED} <= actions


@pytest.mark.django_db
def test_an_expired_mandate_gives_no_access(staff_client, company):
    MandateFactory(
        company=company, granted_at=timezone.now() - timedelta(days=10), valid_until=timezone.now()
    )
    assert open_company(staff_client, company).status_code == 404


@pytest.mark.django_db
def test_a_mandate_that_expires_mid_session_gives_404_on_the_next_request(staff_client, company):
    from freezegun import freeze_time

    from tests.factories import make_employee

    start = timezone.now()
    employee = make_employee(company, name="Udløber Snart")
    MandateFactory(company=company, valid_until=start + timedelta(minutes=5))
    assert open_company(staff_client, company).status_code == 302
    assert staff_client.get(f"/portal/employees/{employee.pk}/").status_code == 200
    with freeze_time(start + timedelta(minutes=6)):
        assert staff_client.get(f"/portal/employees/{employee.pk}/").status_code == 404
        assert company.name not in staff_client.get("/portal/").content.decode()
        assert open_company(staff_client, company).status_code == 404


@pytest.mark.django_db
def test_mandate_end_date_must_be_in_the_future(admin_client, company):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = admin_client.post("/portal/mandate/", {"confirm": "on", "valid_until": yesterday})
    assert response.status_code == 200
    assert not Mandate.objects.filter(company=company).exists()


@pytest.mark.django_db
def test_non_staff_users_have_no_provider_pages(admin_client, other_company):
    MandateFactory(company=other_company)
    assert admin_client.get("/portal/companies/").status_code == 404
    assert admin_client.post(f"/portal/companies/{other_company.pk}/switch/").status_code == 404


@pytest.mark.django_db
def test_staff_member_of_no_company_acts_for_none_by_default(staff_user, company):
    MandateFactory(company=company)
    client = login_verified(Client(), staff_user)
    assert (
        "not acting for a company" in client.get("/portal/").content.decode()
        or "handler ikke" in client.get("/portal/").content.decode()
    )


@pytest.mark.django_db
def test_a_second_grant_while_one_is_active_changes_nothing(admin_client, company):
    admin_client.post("/portal/mandate/", {"confirm": "on"})
    admin_client.post("/portal/mandate/", {"confirm": "on"})
    assert Mandate.objects.filter(company=company).count() == 1
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.MANDATE_GRANTED).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_mandate(company):
    from django.db import IntegrityError, transaction

    MandateFactory(company=company)
    with pytest.raises(IntegrityError), transaction.atomic():
        MandateFactory(company=company)


@pytest.mark.django_db
def test_after_expiry_a_new_mandate_can_be_granted_and_the_old_one_shows_as_expired(
    admin_client, staff_client, company
):
    old = MandateFactory(
        company=company, granted_at=timezone.now() - timedelta(days=10), valid_until=timezone.now()
    )
    assert admin_client.post("/portal/mandate/", {"confirm": "on"}).status_code == 302
    old.refresh_from_db()
    assert old.revoked_at == old.valid_until and old.revoked_by is None and old.ended_by_expiry
    assert Mandate.objects.active().filter(company=company).count() == 1
    assert open_company(staff_client, company).status_code == 302
    assert "Udløbet" in admin_client.get("/portal/mandate/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_grants_leave_exactly_one_active_mandate_on_postgresql(company):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the row lock and the partial unique index are what this proves; SQLite serialises writers"
        )
    from hrportal.companies import mandates
    from tests.conftest import make_admin

    admins = [make_admin(company), make_admin(company)]
    results, errors = [], []
    barrier = threading.Barrier(2)

    def attempt(user):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(mandates.grant(company, user) is not None)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in admins]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [False, True]
    assert Mandate.objects.filter(company=company).count() == 1
    assert Mandate.objects.active().filter(company=company).count() == 1
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.MANDATE_GRANTED).count() == 1

    mandates.revoke(company, admins[0])
    assert not Mandate.objects.active().filter(company=company).exists()


def test_a_mandate_until_a_date_lasts_through_that_whole_day_in_danish_time():
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from hrportal.companies.mandates import valid_through

    end = valid_through(date(2026, 3, 31))
    assert end == datetime(2026, 3, 31, 23, 59, 59, tzinfo=ZoneInfo("Europe/Copenhagen"))
    assert valid_through(None) is None  # no end chosen: open until revoked
