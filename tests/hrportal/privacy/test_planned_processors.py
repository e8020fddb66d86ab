"""Sub-processor changes before they happen (issue 14): a new sub-processor is announced at least 30 days
ahead, is not part of the agreement until its date, is listed publicly with its date, and a company may
object in the portal (audited, the provider's staff e-mailed)."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Locale

from cms_pages.dpa import content
from cms_pages.dpa.demo import seed as seed_dpa
from cms_pages.models import DataProcessor
from hrportal.audit.models import Action, AuditEvent
from hrportal.privacy import dpa
from hrportal.tenancy import company_scope
from tests.hrportal.privacy.test_dpa import add_processor as processor


@pytest.fixture
def agreement(db):
    seed_dpa()
    return content.current_agreement("da")


def processor_form(instance=None, **data):
    from wagtail.admin.panels import get_edit_handler

    form_class = get_edit_handler(DataProcessor).get_form_class()
    values = {
        "name": "Hurtig",
        "purpose": "x",
        "data_categories": "x",
        "country": "DK",
        "inside_eu_eea": "on",
    }
    values.update(data)
    return form_class(
        values, instance=instance or DataProcessor(locale=Locale.objects.get(language_code="da"))
    )


@pytest.mark.django_db
def test_an_editor_cannot_start_a_new_sub_processor_sooner_than_30_days_ahead(settings):
    today = timezone.localdate()
    early = processor_form(added_on=today + datetime.timedelta(days=10))
    assert not early.is_valid() and "added_on" in early.errors
    assert "30 dage" in early.errors["added_on"][0]
    ahead = processor_form(added_on=today + datetime.timedelta(days=settings.PROCESSOR_NOTICE_DAYS))
    assert ahead.is_valid(), ahead.errors
    # A processor already published keeps its date when edited (its customers were told long ago).
    existing = processor("Gammel", today - datetime.timedelta(days=400))
    existing.refresh_from_db()
    edit = processor_form(existing, name="Gammel", purpose="Drift", added_on=existing.added_on)
    assert edit.is_valid(), edit.errors


@pytest.mark.django_db
def test_a_planned_processor_is_not_current_before_its_date_and_is_after(agreement):
    starts = timezone.localdate() + datetime.timedelta(days=31)
    before = content.processors_fingerprint()
    processor("Sky ApS", starts)
    assert "Sky ApS" not in [p.name for p in content.sub_processors("da")]
    assert [p.name for p in content.planned_processors("da")] == ["Sky ApS"]
    assert content.processors_fingerprint() == before  # acceptances stay valid until the date
    with freeze_time(starts):
        assert "Sky ApS" in [p.name for p in content.sub_processors("da")]
        assert content.planned_processors("da") == []
        assert content.processors_fingerprint() != before  # now the company must accept again


@pytest.mark.django_db
def test_the_company_objects_in_the_portal_once_and_staff_are_told(
    admin_client, admin_user, company, other_admin_client, settings, agreement
):
    starts = timezone.localdate() + datetime.timedelta(days=40)
    sky = processor("Sky & Co", starts, country="USA", inside_eu_eea=False)
    page = admin_client.get(reverse("portal:dpa")).content.decode()
    assert "Planlagte underdatabehandlere" in page and "Sky &amp; Co" in page
    assert f'value="{sky.translation_key}"' in page

    assert (
        admin_client.post(reverse("portal:dpa_object"), {"processor": str(sky.translation_key)}).status_code
        == 302
    )
    assert not AuditEvent.objects.filter(action=Action.DPA_PROCESSOR_OBJECTED).exists()  # a reason is needed

    mail.outbox.clear()
    response = admin_client.post(
        reverse("portal:dpa_object"),
        {"processor": str(sky.translation_key), "reason": "Ingen data til USA, tak."},
    )
    assert response.status_code == 302
    with company_scope(company):
        event = AuditEvent.objects.get(action=Action.DPA_PROCESSOR_OBJECTED)
    assert event.target_id == str(sky.translation_key) and event.actor_id == admin_user.pk
    assert "Ingen data" not in str(event.details)  # free text goes to staff, not into the log
    (staff_mail,) = mail.outbox
    assert staff_mail.to == [settings.CONTACT_EMAIL]
    assert company.name in staff_mail.subject and "Sky & Co" in staff_mail.subject
    assert "Ingen data til USA, tak." in staff_mail.body
    page = admin_client.get(reverse("portal:dpa")).content.decode()
    assert "Jeres virksomhed gjorde indsigelse" in page
    assert not re.search(rf'value="{sky.translation_key}"', page)  # no second form

    # A second objection is refused; another company neither sees this one nor is blocked by it.
    admin_client.post(reverse("portal:dpa_object"), {"processor": str(sky.translation_key), "reason": "Igen"})
    with company_scope(company):
        assert AuditEvent.objects.filter(action=Action.DPA_PROCESSOR_OBJECTED).count() == 1
    other_page = other_admin_client.get(reverse("portal:dpa")).content.decode()
    assert "gjorde indsigelse" not in other_page and f'value="{sky.translation_key}"' in other_page


@pytest.mark.django_db
def test_only_a_planned_processor_can_be_objected_to(admin_client, company, agreement):
    current = processor("Nu ApS", timezone.localdate() - datetime.timedelta(days=5))
    for key in (str(current.translation_key), "not-a-key"):
        admin_client.post(reverse("portal:dpa_object"), {"processor": key, "reason": "Nej"})
    with company_scope(company):
        assert not AuditEvent.objects.filter(action=Action.DPA_PROCESSOR_OBJECTED).exists()
    with pytest.raises(dpa.ObjectionError):
        dpa.object_to_processor(company, None, str(current.translation_key), "Nej")


@pytest.mark.django_db
def test_admins_are_told_of_a_planned_processor_once_when_it_is_published(
    admin_user, company, agreement, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    starts = timezone.localdate() + datetime.timedelta(days=35)
    with django_capture_on_commit_callbacks(execute=True):
        processor("Sky ApS", starts)  # publishing runs the notice after commit
    told = [m for m in mail.outbox if m.to == [admin_user.email] and "Sky ApS" in m.subject]
    assert len(told) == 1
    assert "planlagt" in told[0].subject and "/portal/settings/dpa/" in told[0].body
    mail.outbox.clear()
    dpa.notify_admins()
    assert not [m for m in mail.outbox if "Sky ApS" in m.subject]  # once


@pytest.mark.django_db
def test_the_daily_run_asks_for_re_acceptance_on_the_start_date_once(
    admin_user, company, agreement, django_capture_on_commit_callbacks
):
    """Nobody publishes anything on a planned processor's start date: `manage.py dpa_notices` (its daily
    timer in site/deploy) is what tells the admins that the agreement now includes it."""
    from django.core.management import call_command

    with company_scope(company):
        dpa.accept(company, admin_user, agreement)
    starts = timezone.localdate() + datetime.timedelta(days=31)
    with django_capture_on_commit_callbacks(execute=True):
        processor("Sky ApS", starts)
    mail.outbox.clear()
    call_command("dpa_notices")
    assert not [m for m in mail.outbox if m.to == [admin_user.email]]  # nothing to accept before the date
    with freeze_time(starts):
        call_command("dpa_notices")
        asked = [m for m in mail.outbox if m.to == [admin_user.email]]
        assert len(asked) == 1 and "/portal/settings/dpa/" in asked[0].body
        assert dpa.status(company).needs_acceptance
        call_command("dpa_notices")
        assert len([m for m in mail.outbox if m.to == [admin_user.email]]) == 1  # once per change
