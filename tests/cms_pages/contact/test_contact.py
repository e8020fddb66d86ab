import pytest
from django.core import mail

from cms_pages.contact.models import ContactMessage, SupervisoryAuthority

COMPLAINT = {
    "name": "Ida Jensen",
    "email": "ida@example.test",
    "subject": "complaint",
    "message": "Jeg vil klage over behandlingen af mine oplysninger.",
}


@pytest.mark.django_db
def test_complaint_is_stored_sent_to_support_and_acknowledged_in_the_senders_language(client, settings):
    settings.CONTACT_EMAIL = "support@ansatte.dk"
    response = client.post("/en/contact/", COMPLAINT)
    assert response.status_code == 302 and response["Location"] == "/en/contact/thanks/"
    message = ContactMessage.objects.get()
    assert message.subject == "complaint" and message.language == "en" and message.ip_hash
    support, acknowledgement = mail.outbox
    assert support.to == ["support@ansatte.dk"] and support.reply_to == ["ida@example.test"]
    assert "Klage om mine rettigheder" in support.subject  # support reads Danish
    assert COMPLAINT["message"] in support.body
    assert acknowledgement.to == ["ida@example.test"]
    assert acknowledgement.subject == "We have received your message"
    assert "Complaint about my rights" in acknowledgement.body and "datatilsynet.dk" in acknowledgement.body


@pytest.mark.django_db
def test_support_address_comes_from_the_owner_details_setting(client, home):
    from wagtail.models import Site

    from cms_pages.models import OwnerDetails

    OwnerDetails.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"email": "kontakt@ansatte.dk"}
    )
    client.post("/da/contact/", COMPLAINT)
    assert mail.outbox[0].to == ["kontakt@ansatte.dk"]
    assert mail.outbox[1].subject == "Vi har modtaget din besked"


@pytest.mark.django_db
def test_complaint_subject_is_offered_in_danish_and_can_be_preselected(client):
    html = client.get("/da/contact/?subject=complaint").content.decode()
    assert '<option value="complaint" selected>Klage om mine rettigheder</option>' in html


@pytest.mark.django_db
def test_invalid_form_stores_and_sends_nothing(client):
    response = client.post("/da/contact/", {**COMPLAINT, "email": "nope"})
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
