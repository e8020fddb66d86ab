"""The audit log is append-only and hash-chained; verification names the first broken link."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from hrportal.audit.log import record, verify_chain
from hrportal.audit.models import Action, AuditChainAnchor, AuditEvent, AuditImmutableError
from tests.conftest import as_database_owner


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


def raw(sql, params):
    """Write the audit table as an attacker with database access would: past the ORM and the trigger."""
    with connection.cursor() as cursor, as_database_owner(cursor):
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def tamper(event_id):
    raw("UPDATE audit_auditevent SET outcome = 'failure' WHERE id = %s", [event_id])


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
def test_verification_catches_deleted_newest_events(company, capsys):
    events = [record(Action.LOGIN, company=company) for _ in range(4)]
    raw("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[2].pk, events[3].pk])
    # What is left is a consistent chain in itself: only the anchor shows that it was longer.
    assert verify_chain(company.pk).pk == events[3].pk
    with pytest.raises(CommandError):
        call_command("verify_audit_log")
    assert "newest events are missing" in capsys.readouterr().err


@pytest.mark.django_db
def test_verification_catches_every_event_of_a_company_deleted(company, capsys):
    events = [record(Action.LOGIN, company=company) for _ in range(2)]
    raw("DELETE FROM audit_auditevent WHERE company_id = %s", [company.pk])
    assert verify_chain(company.pk).pk == events[1].pk
    with pytest.raises(CommandError):
        call_command("verify_audit_log")


def _rebuild_without_the_key(events, *, version, key=b"a guess, not the key 0123456789ab"):
    """Recompute the hashes from the first event on (and the anchor), as someone without the key must."""
    import hashlib
    import hmac

    from hrportal.audit.chain import chain_id

    prev = events[0].prev_hash
    for event in events:
        event = AuditEvent.objects.get(pk=event.pk)
        event.prev_hash, event.hash_version = prev, version
        data = event.canonical()
        digest = hmac.new(key, data, hashlib.sha256) if version == 2 else hashlib.sha256(data)
        prev = digest.hexdigest()
        raw(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s, hash_version = %s WHERE id = %s",
            [event.prev_hash, prev, version, event.pk],
        )
    chain = chain_id(events[-1].company_id)
    mac = hmac.new(key, f"audit-anchor:{chain}:{events[-1].pk}:{prev}".encode(), hashlib.sha256).hexdigest()
    AuditChainAnchor.objects.filter(chain=chain).update(last_hash=prev, mac=mac)


@pytest.mark.django_db
@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("start", [0, 1])
def test_a_chain_rebuilt_without_the_key_is_caught(company, version, start):
    events = [record(Action.LOGIN, company=company) for _ in range(4)]
    tamper(events[1].pk)
    _rebuild_without_the_key(events[start:], version=version)
    broken = verify_chain(company.pk)
    assert broken is not None and broken.pk in {events[start].pk, events[3].pk}
    with pytest.raises(CommandError):
        call_command("verify_audit_log")


@pytest.mark.django_db
def test_events_written_before_the_keyed_chain_still_verify_and_get_an_anchor(company):
    """Rows hashed with plain SHA-256 (version 1, before migration 0007) keep verifying; the migration
    anchors their chain, and new keyed events continue it."""
    import importlib

    from django.apps import apps
    from django.utils import timezone

    legacy = []
    for _ in range(3):
        event = AuditEvent(
            created_at=timezone.now(),
            company_id=company.pk,
            action=Action.LOGIN,
            prev_hash=legacy[-1].hash if legacy else "",
            hash_version=1,
        )
        event.hash = event.compute_hash()
        event.save()
        legacy.append(event)
    assert verify_chain(company.pk).reason == "the chain's anchor is missing"
    migration = importlib.import_module("hrportal.audit.migrations.0007_keyed_chain_and_anchor")
    migration.anchor_existing_chains(apps, None)
    assert verify_chain(company.pk) is None
    newer = record(Action.LOGOUT, company=company)
    assert newer.prev_hash == legacy[-1].hash and newer.hash_version == 2
    assert verify_chain(company.pk) is None
    call_command("verify_audit_log")


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
