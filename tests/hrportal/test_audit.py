"""The audit log is append-only and hash-chained; verification names the first broken link."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from hrportal.audit.log import record, verify_chain
from hrportal.audit.models import Action, AuditEvent, AuditImmutableError


@pytest.mark.django_db
def test_events_chain_per_company(company, other_company):
    a1 = record(Action.LOGIN, company=company)
    b1 = record(Action.LOGIN, company=other_company)
    a2 = record(Action.LOGOUT, company=company)
    assert a2.prev_hash == a1.hash and b1.prev_hash == ""
    assert verify_chain(company.pk) is None and verify_chain(other_company.pk) is None


@pytest.mark.django_db
def test_the_orm_refuses_updates_and_deletes(company):
    event = record(Action.LOGIN, company=company)
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="logout")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db
def test_postgresql_trigger_refuses_raw_updates(company):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    event = record(Action.LOGIN, company=company)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'logout' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def tamper(event_id):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute("UPDATE audit_auditevent SET outcome = 'failure' WHERE id = %s", [event_id])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


@pytest.mark.django_db
def test_verification_catches_an_edited_row(company, capsys):
    events = [record(Action.LOGIN, company=company) for _ in range(4)]
    call_command("verify_audit_log")
    tamper(events[2].pk)
    assert verify_chain(company.pk).pk == events[2].pk
    with pytest.raises(CommandError):
        call_command("verify_audit_log")
    assert f"#{events[2].pk}" in capsys.readouterr().err


@pytest.mark.django_db
def test_details_refuse_personal_data(company):
    with pytest.raises(ValueError):
        record(Action.EMPLOYEE_CHANGED, company=company, details={"email": "a@b.dk"})


@pytest.mark.django_db
def test_ip_addresses_are_stored_hashed(admin_client, company):
    event = AuditEvent.objects.filter(company_id=company.pk, action=Action.LOGIN).latest("id")
    assert event.ip_hash and "127.0.0.1" not in event.ip_hash


@pytest.mark.django_db
def test_audit_log_page_filters_and_paginates(admin_client, company):
    for _ in range(60):
        record(Action.LOGOUT, company=company)
    page1 = admin_client.get("/portal/audit/?action=logout")
    assert page1.status_code == 200
    assert page1.context["page"].paginator.count == 60
    assert len(page1.context["rows"]) == 50
    page2 = admin_client.get("/portal/audit/?action=logout&page=2")
    assert len(page2.context["rows"]) == 10
    only_login = admin_client.get("/portal/audit/?action=login")
    assert all(event.action == "login" for event, _ in only_login.context["rows"])
    bad = admin_client.get("/portal/audit/?date_from=2026-12-01&date_to=2026-01-01")
    assert bad.status_code == 200 and bad.context["form"].errors


@pytest.mark.django_db
def test_audit_log_page_query_count_does_not_grow(admin_client, company, django_assert_max_num_queries):
    for _ in range(120):
        record(Action.LOGOUT, company=company)
    with django_assert_max_num_queries(15):
        admin_client.get("/portal/audit/")
