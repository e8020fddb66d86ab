import logging
import re

import pytest
from django.core import mail, signing
from django.test import TestCase
from django.utils import timezone

from cms_pages.newsletter import issues
from cms_pages.newsletter.models import NewsletterIssue, Subscriber
from tests.cms_pages.failing_mail import FAILING_BACKEND, make_retries_due, waiting_retries
from tests.conftest import public_client, run_jobs


def link_in(message, kind):
    return re.search(rf"http://public.testserver(/\w\w/newsletter/{kind}/[^/\s]+/)", message.body).group(1)


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


def sign_up(client, email="ida@example.test", language="da", *, worker=True):
    """Post the form as the visitor does; its transaction commits, then the worker (unless told not to)
    sends what the request queued."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/{language}/newsletter/", {"email": email, "language": language})
    if worker:
        run_jobs()
    return response


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
    one_click = public_client(enforce_csrf_checks=True).post(
        unsubscribe_url.removeprefix("http://public.testserver"), {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    mail.outbox.clear()
    assert send_issue() == 0


@pytest.mark.django_db
def test_same_answer_whether_or_not_already_subscribed(client):
    known_subscriber = Subscriber.objects.create(
        email="known@example.test", language="en", status=Subscriber.Status.CONFIRMED
    )
    known = sign_up(client, "known@example.test", worker=False)
    unknown = sign_up(client, "new@example.test", worker=False)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    assert not mail.outbox  # the request mails nobody: its answer and timing never wait for the mail server

    assert run_jobs() == 2
    # Each address gets exactly one email; only its owner learns whether it was subscribed.
    by_address = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2 and set(by_address) == {"known@example.test", "new@example.test"}
    assert by_address["new@example.test"].subject == "Bekræft din tilmelding til Ansattes nyhedsbrev"
    note = by_address["known@example.test"]
    assert note.subject == "Du modtager allerede Ansattes nyhedsbrev"  # the language the visitor asked in
    assert "/newsletter/confirm/" not in note.body
    unsubscribe_path = link_in(note, "unsubscribe")
    assert unsubscribe_path.startswith("/da/")
    client.post(unsubscribe_path)
    known_subscriber.refresh_from_db()
    assert known_subscriber.status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.django_db
def test_a_failing_mail_server_changes_nothing_the_visitor_sees(client, settings, caplog):
    Subscriber.objects.create(email="known@example.test", status=Subscriber.Status.CONFIRMED)
    settings.EMAIL_BACKEND = FAILING_BACKEND
    known = sign_up(client, "known@example.test")
    unknown = sign_up(client, "new@example.test")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert Subscriber.objects.get(email="new@example.test").status == Subscriber.Status.PENDING
    assert not mail.outbox
    # The worker logged both failures and put off one retry each.
    assert [r.levelno for r in caplog.records if r.name == "cms_pages.mail_retry"] == [logging.WARNING] * 2
    assert waiting_retries() == ["cms_pages.newsletter.tasks.send_signup_email"] * 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    make_retries_due()
    assert run_jobs() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["known@example.test", "new@example.test"]
    confirm_path = link_in(next(m for m in mail.outbox if m.to == ["new@example.test"]), "confirm")
    client.post(confirm_path)
    assert Subscriber.objects.get(email="new@example.test").status == Subscriber.Status.CONFIRMED
    assert waiting_retries() == []


@pytest.mark.django_db
def test_a_mail_server_down_for_good_is_given_up_on_and_logged(client, settings, caplog):
    from cms_pages.mail_retry import RETRY_DELAYS

    settings.EMAIL_BACKEND = FAILING_BACKEND
    sign_up(client, "new@example.test")
    for _ in RETRY_DELAYS:
        assert make_retries_due() == 1
        run_jobs()
    assert waiting_retries() == []
    errors = [r for r in caplog.records if r.name == "cms_pages.mail_retry" and r.levelno == logging.ERROR]
    assert len(errors) == 1 and "giving up" in errors[0].getMessage()


@pytest.mark.django_db
def test_bad_and_expired_confirmation_links_do_nothing(client, settings):
    sign_up(client)
    path = link_in(mail.outbox[0], "confirm")
    forged = path[:-3] + ("yy/" if path.endswith("xx/") else "xx/")
    assert client.post(forged).status_code == 400
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
    form = re.search(r'<form class="newsletter-form"[^>]*>', html).group(0)
    assert 'action="/da/newsletter/"' in form and "data-csrf-fetch" in form
    assert 'method="get"' in form and 'data-csrf-method="post"' in form  # consent.js makes it a POST
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.django_db
def test_footer_form_without_javascript_leads_to_the_uncached_form_page(home):
    """What a browser without JavaScript does with the footer form: a GET to its action, then the POST of
    the form it finds there, with the CSRF checks a real browser meets."""
    browser = public_client(enforce_csrf_checks=True)
    footer = re.search(r'<form class="newsletter-form"[^>]*>', browser.get("/da/").content.decode()).group(0)
    action = re.search(r'action="([^"]+)"', footer).group(1)
    page = browser.get(action, {"email": "nojs@example.test", "language": "da"})
    assert page.status_code == 200
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    html = page.content.decode()
    assert 'value="nojs@example.test"' in html  # what was typed in the footer is kept
    assert not Subscriber.objects.exists()  # a GET changes nothing
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = browser.post(
            action, {"email": "nojs@example.test", "language": "da", "csrfmiddlewaretoken": token}
        )
    assert response.status_code == 302 and response["Location"] == "/da/newsletter/check-your-email/"
    assert Subscriber.objects.get().email == "nojs@example.test"


SUBSCRIBERS = "/admin/snippets/newsletter/subscriber"


@pytest.fixture
def superuser_client(client):
    """The strongest editor there is: whatever a superuser cannot do here, no editor can."""
    from tests.conftest import login_verified
    from tests.factories import UserFactory, add_totp_device

    editor = UserFactory(is_superuser=True, is_staff=True)
    editor.totp = add_totp_device(editor)
    return login_verified(client, editor)


@pytest.mark.django_db
def test_editors_can_export_subscribers(superuser_client):
    client = superuser_client
    Subscriber.objects.create(email="export@example.test", status=Subscriber.Status.CONFIRMED)
    listing = client.get(f"{SUBSCRIBERS}/")
    assert listing.status_code == 200 and "export@example.test" in listing.content.decode()
    assert client.get(f"{SUBSCRIBERS}/?q=export").status_code == 200
    export = client.get(f"{SUBSCRIBERS}/?export=csv")
    assert export.status_code == 200
    assert "export@example.test" in b"".join(export.streaming_content).decode()


@pytest.mark.django_db
def test_no_editor_can_add_or_confirm_a_subscriber(superuser_client):
    client = superuser_client
    pending = Subscriber.objects.create(email="pending@example.test")
    listing = client.get(f"{SUBSCRIBERS}/").content.decode()
    assert f"{SUBSCRIBERS}/add/" not in listing and f"{SUBSCRIBERS}/edit/{pending.pk}/" not in listing
    form = {"email": "sneaky@example.test", "language": "da", "status": "confirmed"}
    assert client.get(f"{SUBSCRIBERS}/add/").status_code in (302, 403)
    assert client.post(f"{SUBSCRIBERS}/add/", form).status_code in (302, 403)
    assert client.get(f"{SUBSCRIBERS}/edit/{pending.pk}/").status_code in (302, 403)
    assert client.post(f"{SUBSCRIBERS}/edit/{pending.pk}/", {**form, "email": pending.email}).status_code in (
        302,
        403,
    )
    assert client.post(f"{SUBSCRIBERS}/copy/{pending.pk}/", form).status_code in (302, 403, 404)
    assert list(Subscriber.objects.values_list("email", "status")) == [("pending@example.test", "pending")]
    assert client.get(f"{SUBSCRIBERS}/inspect/{pending.pk}/").status_code == 200


@pytest.mark.django_db
def test_an_editor_can_unsubscribe_or_delete_a_subscriber_and_it_is_logged(superuser_client):
    from wagtail.models import ModelLogEntry

    client = superuser_client
    subscriber = Subscriber.objects.create(
        email="leaving@example.test", status=Subscriber.Status.CONFIRMED, consented_at=timezone.now()
    )
    assert f"{SUBSCRIBERS}/unsubscribe/{subscriber.pk}/" in client.get(f"{SUBSCRIBERS}/").content.decode()
    inspect = client.get(f"{SUBSCRIBERS}/inspect/{subscriber.pk}/").content.decode()
    assert f"{SUBSCRIBERS}/unsubscribe/{subscriber.pk}/" in inspect
    assert client.get(f"{SUBSCRIBERS}/unsubscribe/{subscriber.pk}/").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED  # the GET only asks
    assert client.post(f"{SUBSCRIBERS}/unsubscribe/{subscriber.pk}/").status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at
    assert subscriber.consented_at is not None  # the proof stays
    assert ModelLogEntry.objects.filter(
        action="newsletter.unsubscribe", object_id=str(subscriber.pk)
    ).exists()
    assert send_issue() == 0

    assert client.post(f"{SUBSCRIBERS}/delete/{subscriber.pk}/").status_code == 302
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_an_editor_without_the_change_permission_cannot_unsubscribe(client):
    from django.contrib.auth.models import Group, Permission

    from tests.conftest import login_verified
    from tests.factories import UserFactory, add_totp_device

    group = Group.objects.create(name="Readers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="newsletter", codename="view_subscriber"),
    )
    reader = UserFactory()
    reader.groups.add(group)
    reader.totp = add_totp_device(reader)
    login_verified(client, reader)
    subscriber = Subscriber.objects.create(email="stays@example.test", status=Subscriber.Status.CONFIRMED)
    assert "stays@example.test" in client.get(f"{SUBSCRIBERS}/").content.decode()
    assert client.post(f"{SUBSCRIBERS}/unsubscribe/{subscriber.pk}/").status_code in (302, 403)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
