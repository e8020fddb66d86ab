"""The public site's personal data is deleted by the daily sweep when its period ends, not a day earlier."""

import datetime

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from cms_pages.consent.models import ConsentRecord
from cms_pages.contact.models import ContactMessage
from cms_pages.newsletter.models import Subscriber
from hrportal.privacy.retention import sweep

T0 = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=datetime.UTC)


def days(n):
    return T0 + datetime.timedelta(days=n)


def seed():
    with freeze_time(T0):
        pending = Subscriber.objects.create(email="pending@example.test")
        confirmed = Subscriber.objects.create(
            email="confirmed@example.test", status=Subscriber.Status.CONFIRMED, consented_at=timezone.now()
        )
        left = Subscriber.objects.create(
            email="left@example.test", status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
        )
        consent = ConsentRecord.objects.create(
            categories=["necessary"], policy_version="1", banner_version="1", epoch="1", language="da"
        )
        question = ContactMessage.objects.create(
            name="Spørge Jørgen", email="q@example.test", message="?", language="da", handled=True
        )
        open_question = ContactMessage.objects.create(
            name="Venter Svar", email="w@example.test", message="?", language="da", handled=False
        )
        complaint = ContactMessage.objects.create(
            name="Klage Karen",
            email="k@example.test",
            message="!",
            language="da",
            subject=ContactMessage.Subject.COMPLAINT,
            handled=True,
        )
        login = AccessLog.objects.create(username="someone@example.test", ip_address="127.0.0.1")
    return locals()


def exists(obj):
    return type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_each_kind_goes_exactly_when_its_period_ends():
    rows = seed()
    kept_forever = [rows["confirmed"], rows["open_question"]]
    schedule = [
        (30, rows["pending"]),  # an unconfirmed signup: 30 days
        (90, rows["login"]),  # login attempt log: 90 days
        (365, rows["question"]),  # a handled question: 1 year
        (3 * 365, rows["left"]),  # an unsubscription, as proof mail stopped: 3 years
        (3 * 365, rows["complaint"]),  # a handled complaint: 3 years
        (4 * 365, rows["consent"]),  # cookie consent proof: 12 months in force + 3 years
    ]
    for period in sorted({p for p, _row in schedule}):
        with freeze_time(days(period)):
            sweep()
            for due, row in schedule:
                assert exists(row) == (due >= period), f"{type(row).__name__} ({due} days) on day {period}"
        with freeze_time(days(period) + datetime.timedelta(seconds=1)):
            sweep()
            for due, row in schedule:
                assert exists(row) == (due > period), f"{type(row).__name__} ({due} days) after day {period}"
    for row in kept_forever:
        assert exists(row)  # a confirmed subscriber and a message not yet handled stay


@pytest.mark.django_db
def test_the_daily_command_purges_the_public_data_and_prints_counts(capsys):
    seed()
    with freeze_time(days(31)):
        call_command("retention_sweep")
    out = capsys.readouterr().out
    assert "'newsletter_unconfirmed': 1" in out
    assert not Subscriber.objects.filter(email="pending@example.test").exists()
