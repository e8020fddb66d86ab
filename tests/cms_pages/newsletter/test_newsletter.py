import re

import pytest
from django.core import mail, signing
from django.test import Client

from cms_pages.newsletter import issues
from cms_pages.newsletter.models import NewsletterIssue, Subscriber
from tests.conftest import run_jobs


def link_in(message, kind):
    return re.search(rf"http://testserver(/\w\w/newsletter/{kind}/[^/\s]+/)", message.body).group(1)


def send_issue() -> int:
    """Write and send an issue as an editor would (queued, then the worker); returns how many were mailed."""
    issue = NewsletterIssue.objects.create(
        subject_da="Nyt", body_da="Hej", subject_en="News", body_en="Hello"
    )
    try:
        issues.queue(issue, None)
    except issues.CannotSend:  # nobody confirmed to send to
        return 0
    run_jobs()
    issue.refresh_from_db()
    return issue.sent_count


def sign_up(client, email="ida@example.test", language="da"):
    return client.post(f"/{language}/newsletter/", {"email": email, "language": language})


@pytest.mark.django_db
def test_double_opt_in_then_one_click_unsubscribe(client):
    response = sign_up(client, "Ida@Example.test", "en")
    assert response.status_code == 302 and response["Location"] == "/en/newsletter/check-your-email/"
    subscriber = Subscriber.objects.get(email="ida@example.test")
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ida@example.test"]
    assert message.subject == "Confirm your subscription to the Ansatte newsletter"  # her language

    confirm_path = link_in(message, "confirm")
    assert confirm_path.startswith("/en/")
    assert client.get(confirm_path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING  # following the link alone subscribes nobody
    assert "You are subscribed" in client.post(confirm_path).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.consented_at is not None
    assert subscriber.consent_text_version == "2025-1"

    mail.outbox.clear()
    assert send_issue() == 1
    issue = mail.outbox[0]
    assert issue.subject == "News"
    unsubscribe_url = issue.extra_headers["List-Unsubscribe"].strip("<>")
    assert issue.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in issue.body
    one_click = Client(enforce_csrf_checks=True).post(
        unsubscribe_url.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    mail.outbox.clear()
    assert send_issue() == 0


@pytest.mark.django_db
def test_same_answer_whether_or_not_already_subscribed(client):
    Subscriber.objects.create(email="known@example.test", status=Subscriber.Status.CONFIRMED)
    known = sign_up(client, "known@example.test")
    unknown = sign_up(client, "new@example.test")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [["new@example.test"]]  # nothing to tell the requester apart
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content


@pytest.mark.django_db
def test_bad_and_expired_confirmation_links_do_nothing(client, settings):
    sign_up(client)
    path = link_in(mail.outbox[0], "confirm")
    assert client.post(path[:-3] + "xx/").status_code == 400
    settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
    assert client.post(path).status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.django_db
def test_unsubscribe_link_does_not_work_for_another_address(client):
    a = Subscriber.objects.create(email="a@example.test", status=Subscriber.Status.CONFIRMED)
    forged = signing.dumps({"s": a.pk, "e": "a@example.test"}, salt="wrong-salt")
    assert client.post(f"/da/newsletter/unsubscribe/{forged}/").status_code == 400
    a.refresh_from_db()
    assert a.status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
def test_signup_is_rate_limited_per_ip(client, settings):
    settings.NEWSLETTER_RATE_LIMIT_PER_HOUR = 2
    for i in range(2):
        assert sign_up(client, f"x{i}@example.test").status_code == 302
    assert sign_up(client, "x9@example.test").status_code == 429


@pytest.mark.django_db
def test_invalid_email_shows_the_error(client):
    response = client.post("/en/newsletter/", {"email": "nope", "language": "en"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_footer_form_on_cached_pages_carries_no_token(client, home):
    html = client.get("/da/").content.decode()
    assert 'action="/da/newsletter/"' in html and "data-csrf-fetch" in html
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.django_db
def test_editors_can_export_subscribers(client, django_user_model):
    from tests.conftest import login_verified
    from tests.factories import UserFactory, add_totp_device

    Subscriber.objects.create(email="export@example.test", status=Subscriber.Status.CONFIRMED)
    editor = UserFactory(is_superuser=True, is_staff=True)
    editor.totp = add_totp_device(editor)
    login_verified(client, editor)
    listing = client.get("/admin/snippets/newsletter/subscriber/")
    assert listing.status_code == 200 and "export@example.test" in listing.content.decode()
    assert client.get("/admin/snippets/newsletter/subscriber/?q=export").status_code == 200
    export = client.get("/admin/snippets/newsletter/subscriber/?export=csv")
    assert export.status_code == 200
    assert "export@example.test" in b"".join(export.streaming_content).decode()
