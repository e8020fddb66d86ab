import logging

import pytest
from django.core import mail
from django.test import TestCase

from cms_pages.contact.models import ContactMessage, SupervisoryAuthority
from tests.cms_pages.failing_mail import FAILING_BACKEND, make_retries_due, waiting_retries
from tests.conftest import run_jobs

COMPLAINT = {
    "name": "Ida Jensen",
    "email": "ida@example.test",
    "subject": "complaint",
    "message": "Jeg vil klage over behandlingen af mine oplysninger.",
}


def send(client, path, data, *, worker=True):
    """Post the form; its transaction commits, then the worker (unless told not to) sends the emails."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(path, data)
    if worker:
        run_jobs()
    return response


@pytest.mark.django_db
def test_complaint_is_stored_sent_to_support_and_acknowledged_in_the_senders_language(client, settings):
    settings.CONTACT_EMAIL = "support@ansatte.dk"
    response = send(client, "/en/contact/", COMPLAINT, worker=False)
    assert response.status_code == 302 and response["Location"] == "/en/contact/thanks/"
    message = ContactMessage.objects.get()
    assert message.subject == "complaint" and message.language == "en" and message.ip_hash
    assert not mail.outbox  # the worker sends, not the request
    assert run_jobs() == 2
    support, acknowledgement = mail.outbox
    assert support.to == ["support@ansatte.dk"] and support.reply_to == ["ida@example.test"]
    assert "Klage om mine rettigheder" in support.subject  # support reads Danish
    assert COMPLAINT["message"] in support.body
    assert acknowledgement.to == ["ida@example.test"]
    assert acknowledgement.subject == "We have received your message"
    assert "Complaint about my rights" in acknowledgement.body
    assert (
        "You may also complain to the supervisory authority, "
        "The Danish Data Protection Agency (Datatilsynet): https://www.datatilsynet.dk"
    ) in acknowledgement.body


@pytest.mark.django_db
def test_the_acknowledgement_names_the_supervisory_authority_editors_keep(client):
    SupervisoryAuthority.objects.update(
        name="Tilsynet", name_en="The Authority", website="https://tilsyn.example"
    )
    send(client, "/da/contact/", COMPLAINT)
    acknowledgement = mail.outbox[1]
    assert acknowledgement.to == ["ida@example.test"]
    assert (
        "Du kan også klage til tilsynsmyndigheden, Tilsynet: https://tilsyn.example" in acknowledgement.body
    )
    assert "datatilsynet" not in acknowledgement.body.lower()


@pytest.mark.django_db
def test_support_address_comes_from_the_owner_details_setting(client, home):
    from wagtail.models import Site

    from cms_pages.models import OwnerDetails

    OwnerDetails.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"email": "kontakt@ansatte.dk"}
    )
    send(client, "/da/contact/", COMPLAINT)
    assert mail.outbox[0].to == ["kontakt@ansatte.dk"]
    assert mail.outbox[1].subject == "Vi har modtaget din besked"


@pytest.mark.django_db
def test_a_failing_mail_server_loses_no_message_and_shows_no_error(client, settings, caplog):
    settings.CONTACT_EMAIL = "support@ansatte.dk"
    settings.EMAIL_BACKEND = FAILING_BACKEND
    response = send(client, "/da/contact/", COMPLAINT)
    assert response.status_code == 302 and response["Location"] == "/da/contact/thanks/"
    assert ContactMessage.objects.get().message == COMPLAINT["message"]
    assert [r.levelno for r in caplog.records if r.name == "cms_pages.mail_retry"] == [logging.WARNING] * 2
    assert waiting_retries() == [
        "cms_pages.contact.tasks.send_acknowledgement",
        "cms_pages.contact.tasks.send_to_support",
    ]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    make_retries_due()
    assert run_jobs() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ida@example.test", "support@ansatte.dk"]
    assert waiting_retries() == []


@pytest.mark.django_db
def test_complaint_subject_is_offered_in_danish_and_can_be_preselected(client):
    html = client.get("/da/contact/?subject=complaint").content.decode()
    assert '<option value="complaint" selected>Klage om mine rettigheder</option>' in html


@pytest.mark.django_db
def test_invalid_form_stores_and_sends_nothing(client):
    response = send(client, "/da/contact/", {**COMPLAINT, "email": "nope"})
    assert response.status_code == 200
    assert not ContactMessage.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_contact_form_is_rate_limited(client, settings):
    settings.CONTACT_RATE_LIMIT_PER_HOUR = 1
    assert client.post("/da/contact/", COMPLAINT).status_code == 302
    assert client.post("/da/contact/", COMPLAINT).status_code == 429
    assert ContactMessage.objects.count() == 1


@pytest.mark.django_db
def test_datatilsynet_is_seeded_and_shown():
    authority = SupervisoryAuthority.objects.get()
    assert (authority.name, authority.address, authority.postal_code, authority.city) == (
        "Datatilsynet",
        "Carl Jacobsens Vej 35",
        "2500",
        "Valby",
    )
    assert (authority.phone, authority.email) == ("33 19 32 00", "dt@datatilsynet.dk")


@pytest.mark.django_db
def test_privacy_policy_shows_the_supervisory_authority(client, home):
    import datetime

    from cms_pages.models import PolicyPage

    page = PolicyPage(
        title="Privatlivspolitik",
        slug="privatlivspolitik",
        kind="privacy",
        valid_from=datetime.date(2025, 1, 1),
        change_summary="Første version",
        body=[("paragraph", "<p>Tekst</p>")],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Carl Jacobsens Vej 35" in html and "dt@datatilsynet.dk" in html
