"""The data processing agreement: acceptance per version, re-acceptance on a new version or new
sub-processors, admins told by email, PDF with version and acceptance."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from cms_pages.dpa import content
from cms_pages.dpa.demo import seed as seed_dpa
from cms_pages.dpa.models import DataProcessingAgreement
from cms_pages.models import DataProcessor
from hrportal.audit.models import Action, AuditEvent
from hrportal.privacy import dpa
from hrportal.privacy.models import DPAAcceptance
from hrportal.tenancy import company_scope
from tests.hrportal.privacy.test_privacy_helpers import pdf_text


def new_version(version, valid_from=datetime.date(2026, 1, 2)):
    da = Locale.objects.get(language_code="da")
    agreement = DataProcessingAgreement(
        locale=da, version=version, valid_from=valid_from, body="<p>Ny tekst</p>", live=False
    )
    agreement.save()
    agreement.save_revision().publish()
    return agreement


def add_processor(name, added_on=datetime.date(2025, 1, 1), **fields):
    da = Locale.objects.get(language_code="da")
    values = {"purpose": "Hosting", "data_categories": "Alle", "country": "Tyskland", **fields}
    processor = DataProcessor(locale=da, name=name, added_on=added_on, live=False, **values)
    processor.save()
    processor.save_revision().publish()
    return processor


@pytest.fixture
def agreement(db):
    seed_dpa()
    return content.current_agreement("da")


@pytest.mark.django_db
def test_admin_accepts_the_current_version(company, admin_user, admin_client, agreement):
    page = admin_client.get(reverse("portal:dpa"))
    assert page.status_code == 200 and agreement.version in page.content.decode()
    assert page.context["state"].needs_acceptance
    assert admin_client.post(reverse("portal:dpa")).status_code == 302
    with company_scope(company):
        acceptance = DPAAcceptance.objects.get()
    assert acceptance.version == agreement.version and acceptance.accepted_by == admin_user
    assert acceptance.accepted_by_email == admin_user.email
    assert not dpa.status(company).needs_acceptance
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.DPA_ACCEPTED).exists()
    english = admin_client.get(reverse("portal:dpa") + "?lang=en").content.decode()
    assert "Data processing agreement" in english
    assert "The data processor shall process personal data only on documented instructions" in english


@pytest.mark.django_db
def test_pdf_contains_version_and_acceptance(company, admin_user, admin_client, agreement):
    admin_client.post(reverse("portal:dpa"))
    response = admin_client.get(reverse("portal:dpa_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert agreement.version in text
    assert admin_user.email in text and "accepteret af" in text
    english = pdf_text(admin_client.get(reverse("portal:dpa_pdf") + "?lang=en").content)
    assert "accepted by" in english and admin_user.email in english
    with company_scope(company):
        acceptance = DPAAcceptance.objects.get()
    assert acceptance.text_sha256 in text
    response = admin_client.get(reverse("portal:dpa_acceptance_pdf", args=[acceptance.pk]))
    assert response.status_code == 200 and agreement.version in pdf_text(response.content)


@pytest.mark.django_db
def test_a_new_version_asks_again_and_tells_the_admins(
    company, admin_user, agreement, django_capture_on_commit_callbacks
):
    with company_scope(company):
        dpa.accept(company, admin_user, agreement)
    assert not dpa.status(company).needs_acceptance
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new_version("2027.1", valid_from=timezone.localdate())
    state = dpa.status(company)
    assert state.current.version == "2027.1" and state.needs_acceptance
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    assert "2027.1" in mail.outbox[0].body
    assert dpa.notify_admins() == 0  # once per change
    assert [a.version for a in content.earlier_versions("da")] == ["2026.2", "2026.1"]
    with company_scope(company):
        dpa.accept(company, admin_user, state.current)
    assert not dpa.status(company).needs_acceptance
    with company_scope(company):
        assert sorted(DPAAcceptance.objects.values_list("version", flat=True)) == ["2026.2", "2027.1"]


@pytest.mark.django_db
def test_a_sub_processor_change_asks_again(
    company, admin_user, agreement, django_capture_on_commit_callbacks
):
    with company_scope(company):
        dpa.accept(company, admin_user, agreement)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_processor("Nyt Hosting GmbH")
    assert dpa.status(company).processors_changed
    assert len(mail.outbox) == 1
    assert "Nyt Hosting GmbH" in content.render_agreement(content.current_agreement("da"))
