"""Newsletter issues: editors write one in Wagtail, a permitted editor sends it, the "jobs" worker mails it to
each confirmed subscriber exactly once, in their language, with a working unsubscribe link."""

import re
import smtplib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Revision

from cms_pages.newsletter import emails, issues, services
from cms_pages.newsletter.models import IssueDelivery, NewsletterIssue, Subscriber
from tests.conftest import login_verified, public_client, run_jobs
from tests.factories import UserFactory, add_totp_device

pytestmark = pytest.mark.django_db
CONFIRMED = Subscriber.Status.CONFIRMED

ADMIN = "/admin/snippets/newsletter/newsletterissue"
BROKEN = "broken@example.test"


class BrokenAddressBackend(EmailBackend):
    """The mail server refuses one address; everything else reaches the locmem outbox."""

    def send_messages(self, messages):
        for message in messages:
            if BROKEN in message.to:
                raise smtplib.SMTPRecipientsRefused({BROKEN: (550, b"No such user")})
        return super().send_messages(messages)


def editor(*codenames):
    """A verified Wagtail editor with the newsletter issue permissions named."""
    group = Group.objects.create(name="Newsletter editors " + "-".join(codenames))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in codenames:
        group.permissions.add(Permission.objects.get(content_type__app_label="newsletter", codename=codename))
    user = UserFactory()
    user.groups.add(group)
    user.totp = add_totp_device(user)
    return login_verified(Client(), user)


WRITER = ("add_newsletterissue", "change_newsletterissue", "delete_newsletterissue", "view_newsletterissue")


@pytest.fixture
def writer():
    return editor(*WRITER)


@pytest.fixture
def sender():
    return editor(*WRITER, "send_newsletterissue")


@pytest.fixture
def subscribers():
    make = Subscriber.objects.create
    return {
        "da": make(email="dansk@example.test", language="da", status=CONFIRMED, consented_at=timezone.now()),
        "en": make(
            email="english@example.test", language="en", status=CONFIRMED, consented_at=timezone.now()
        ),
        "pending": make(email="pending@example.test", status=Subscriber.Status.PENDING),
        "gone": make(email="gone@example.test", status=Subscriber.Status.UNSUBSCRIBED),
    }


@pytest.fixture
def issue():
    return NewsletterIssue.objects.create(
        subject_da="Nyt fra Ansatte",
        body_da="Hej med dig.",
        subject_en="News from Ansatte",
        body_en="Hello there.",
    )


def queued_tasks():
    return DBTaskResult.objects.filter(backend_name="jobs").count()


def outbox_by_address():
    return {m.to[0]: m for m in mail.outbox}


def send(client, issue):
    return client.post(f"{ADMIN}/send/{issue.pk}/")


def test_an_editor_writes_an_issue_with_history_and_previews_the_email(writer, subscribers):
    response = writer.post(
        f"{ADMIN}/add/",
        {
            "subject_da": "Nyt i maj",
            "body_da": "Kære læser.",
            "subject_en": "News in May",
            "body_en": "Dear reader.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = NewsletterIssue.objects.get()
    assert issue.status == NewsletterIssue.Status.DRAFT and issue.revisions.count() == 1
    assert writer.get(f"{ADMIN}/history/{issue.pk}/").status_code == 200

    edit = writer.get(f"{ADMIN}/edit/{issue.pk}/").content.decode()
    assert f"{ADMIN}/send/{issue.pk}/" not in edit  # no send permission, no send button

    form = {
        "subject_da": "Nyt i juni",
        "body_da": "Kære læser.",
        "subject_en": "News in June",
        "body_en": "Hi.",
    }
    assert writer.post(f"{ADMIN}/preview/{issue.pk}/", form).json()["is_valid"]
    for mode, subject, footer in (
        ("da", "Nyt i juni", "Afmeld med ét klik"),
        ("en", "News in June", "Unsubscribe"),
    ):
        html = writer.get(f"{ADMIN}/preview/{issue.pk}/?mode={mode}").content.decode()
        assert f'lang="{mode}"' in html and subject in html and footer in html
        assert "List-Unsubscribe-Post" in html and emails.PREVIEW_ADDRESS in html
        link = re.search(r"http://public.testserver(/\w\w/newsletter/unsubscribe/[^/\s<]+/)", html).group(1)
        assert public_client().post(link).status_code == 400  # the preview's link unsubscribes nobody
    assert not mail.outbox
    assert Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).count() == 2


def test_english_text_is_both_fields_or_neither(writer):
    response = writer.post(f"{ADMIN}/add/", {"subject_da": "Nyt", "body_da": "Hej.", "subject_en": "News"})
    assert response.status_code == 200
    assert "Udfyld begge engelske felter" in response.content.decode()
    assert not NewsletterIssue.objects.exists()


def test_an_editor_without_the_send_permission_is_refused(writer, subscribers, issue):
    for response in (writer.get(f"{ADMIN}/send/{issue.pk}/"), send(writer, issue)):
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] == "/admin/"  # Wagtail's answer to PermissionDenied
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT
    assert queued_tasks() == 0 and not mail.outbox
    assert f"{ADMIN}/send/{issue.pk}/" not in writer.get(f"{ADMIN}/inspect/{issue.pk}/").content.decode()


def test_the_confirmation_states_the_count_and_sending_is_queued_not_done_in_the_request(
    sender, subscribers, issue
):
    assert f"{ADMIN}/send/{issue.pk}/" in sender.get(f"{ADMIN}/edit/{issue.pk}/").content.decode()
    assert f"{ADMIN}/send/{issue.pk}/" in sender.get(f"{ADMIN}/inspect/{issue.pk}/").content.decode()
    page = sender.get(f"{ADMIN}/send/{issue.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "sendes til <strong>2</strong> bekræftede abonnenter" in html
    assert "På dansk: 1. På engelsk: 1." in html

    response = send(sender, issue)
    assert response.status_code == 302 and response["Location"] == f"{ADMIN}/inspect/{issue.pk}/"
    assert not mail.outbox  # nothing sent in the request
    assert queued_tasks() == 1
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENDING and issue.recipients_total == 2
    inspect = sender.get(response["Location"]).content.decode()
    assert "Afsendelsen er startet (modtagere: 2)" in inspect
    assert "Sendes: 0 af 2 sendt, 0 mislykkedes" in inspect


def test_the_worker_mails_each_confirmed_subscriber_once_in_their_language(sender, subscribers, issue):
    send(sender, issue)
    assert run_jobs() == 1

    by_address = outbox_by_address()
    assert len(mail.outbox) == 2 and set(by_address) == {"dansk@example.test", "english@example.test"}
    danish, english = by_address["dansk@example.test"], by_address["english@example.test"]
    assert (danish.subject, english.subject) == ("Nyt fra Ansatte", "News from Ansatte")
    assert danish.body.startswith("Hej med dig.") and "Afmeld med ét klik" in danish.body
    assert english.body.startswith("Hello there.") and "Unsubscribe with one click" in english.body
    for message in (danish, english):
        url = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert url in message.body
    one_click = public_client(enforce_csrf_checks=True).post(
        english.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://public.testserver"),
        {"List-Unsubscribe": "One-Click"},
    )
    assert one_click.status_code == 200
    subscribers["en"].refresh_from_db()
    assert subscribers["en"].status == Subscriber.Status.UNSUBSCRIBED

    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT and issue.sent_at is not None
    assert (issue.recipients_total, issue.sent_count, issue.failed_count) == (2, 2, 0)
    assert IssueDelivery.objects.filter(issue=issue, status=IssueDelivery.Status.SENT).count() == 2
    inspect = sender.get(f"{ADMIN}/inspect/{issue.pk}/").content.decode()
    assert "Sendt: 2 af 2 sendt, 0 mislykkedes" in inspect
    history = sender.get(f"{ADMIN}/history/{issue.pk}/").content.decode()
    assert "Afsendelse startet (modtagere: 2)" in history and "Sendt: 2, mislykkedes: 0" in history


def test_english_subscribers_get_the_danish_text_when_the_issue_has_no_english(sender, subscribers):
    issue = NewsletterIssue.objects.create(subject_da="Kun dansk", body_da="Hej.")
    assert "ingen engelsk tekst" in sender.get(f"{ADMIN}/send/{issue.pk}/").content.decode()
    send(sender, issue)
    run_jobs()
    assert {m.subject for m in mail.outbox} == {"Kun dansk"}
    assert "Unsubscribe with one click" in outbox_by_address()["english@example.test"].body


def test_running_the_task_again_or_queueing_it_twice_sends_nothing_more(sender, subscribers, issue):
    send(sender, issue)
    issues.send_issue.enqueue(issue.pk)  # a duplicate delivery of the task
    assert run_jobs() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["dansk@example.test", "english@example.test"]

    issues.send_issue.enqueue(issue.pk)  # a retry after it was sent
    assert run_jobs() == 1
    assert issues.send_issue.call(issue.pk) == "skipped"
    assert len(mail.outbox) == 2
    issue.refresh_from_db()
    assert (issue.recipients_total, issue.sent_count, issue.failed_count) == (2, 2, 0)


def test_a_run_that_finds_a_subscriber_claimed_by_another_run_skips_them(subscribers, issue, monkeypatch):
    """Two workers on the same issue at once: the other one inserts the delivery row between our reading the
    batch and our insert, so only the other one mails that subscriber."""
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENDING)
    batches = [[subscribers["da"].pk, subscribers["en"].pk]]
    monkeypatch.setattr(issues, "_next_batch", lambda issue: batches.pop() if batches else [])
    IssueDelivery.objects.create(issue=issue, subscriber=subscribers["da"])  # the other run's claim
    assert issues.send_issue.call(issue.pk) == "sent"
    assert [m.to[0] for m in mail.outbox] == ["english@example.test"]


def test_a_sent_issue_cannot_be_sent_again(sender, subscribers, issue):
    send(sender, issue)
    run_jobs()
    mail.outbox.clear()
    page = sender.get(f"{ADMIN}/send/{issue.pk}/").content.decode()
    assert "allerede sendt" in page and "<form" not in page.split('class="nice-padding"')[1]
    response = send(sender, issue)
    assert response.status_code == 302
    assert "allerede sendt" in sender.get(response["Location"]).content.decode()
    assert queued_tasks() == 1 and not run_jobs() and not mail.outbox
    with pytest.raises(issues.CannotSend):
        issues.queue(issue, None)


def test_sending_twice_in_a_row_queues_once(sender, subscribers, issue):
    send(sender, issue)
    send(sender, issue)
    assert queued_tasks() == 1
    run_jobs()
    assert len(mail.outbox) == 2


def test_nothing_to_send_without_confirmed_subscribers(sender, issue):
    page = sender.get(f"{ADMIN}/send/{issue.pk}/").content.decode()
    assert "ingen bekræftede abonnenter" in page
    send(sender, issue)
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT and queued_tasks() == 0


def test_progress_is_written_after_each_batch(subscribers, issue, monkeypatch):
    for i in range(3):
        Subscriber.objects.create(
            email=f"more{i}@example.test", status=CONFIRMED, consented_at=timezone.now()
        )
    monkeypatch.setattr(issues, "BATCH_SIZE", 2)
    seen = []
    original = issues._update_counts

    def watch(issue):
        counts = original(issue)
        issue_row = NewsletterIssue.objects.get(pk=issue.pk)
        seen.append((issue_row.sent_count, issue_row.recipients_total, issue_row.status))
        return counts

    monkeypatch.setattr(issues, "_update_counts", watch)
    issues.queue(issue, None)
    run_jobs()
    assert seen == [(2, 5, "sending"), (4, 5, "sending"), (5, 5, "sending"), (5, 5, "sent")]
    assert len(mail.outbox) == 5


def test_a_failing_address_counts_as_failed_and_the_others_are_sent(settings, subscribers, issue):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenAddressBackend"
    Subscriber.objects.create(email=BROKEN, status=CONFIRMED, consented_at=timezone.now())
    issues.queue(issue, None)
    assert run_jobs() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["dansk@example.test", "english@example.test"]
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    assert (issue.recipients_total, issue.sent_count, issue.failed_count) == (3, 2, 1)
    assert IssueDelivery.objects.get(subscriber__email=BROKEN).status == IssueDelivery.Status.FAILED
    assert DBTaskResult.objects.get().return_value == "sent"


class UnsubscribeTheOthersBackend(EmailBackend):
    """While the first mail goes out, every other subscriber unsubscribes (with their link)."""

    def send_messages(self, messages):
        for other in Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).exclude(
            email__in=messages[0].to
        ):
            services.unsubscribe(emails.unsubscribe_token(other))
        return super().send_messages(messages)


def test_a_subscriber_who_unsubscribes_while_the_issue_goes_out_is_skipped(settings, subscribers, issue):
    """The batch is read with both subscribers; the English one unsubscribes before their mail is sent."""
    settings.EMAIL_BACKEND = f"{__name__}.UnsubscribeTheOthersBackend"
    issues.queue(issue, None)
    run_jobs()
    assert [m.to[0] for m in mail.outbox] == ["dansk@example.test"]
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    assert (issue.recipients_total, issue.sent_count, issue.failed_count) == (1, 1, 0)
    assert not IssueDelivery.objects.filter(subscriber=subscribers["en"]).exists()


def test_a_stopped_send_is_finished_by_resume_without_mailing_anyone_twice(subscribers, issue):
    issues.queue(issue, None)
    DBTaskResult.objects.all().delete()  # the worker died: its task is gone, the issue still "sending"
    IssueDelivery.objects.create(
        issue=issue, subscriber=subscribers["da"], status=IssueDelivery.Status.SENT
    )  # mailed before it died
    call_command("resume_newsletter_issues")
    assert run_jobs() == 1
    assert [m.to[0] for m in mail.outbox] == ["english@example.test"]
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT and issue.sent_count == 2


def test_a_draft_is_never_sent_by_a_stray_task(subscribers, issue):
    issues.send_issue.enqueue(issue.pk)
    run_jobs()
    assert not mail.outbox
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT


def test_an_issue_that_went_out_can_no_longer_be_changed_reverted_or_deleted_while_sending(
    sender, subscribers, issue
):
    first_revision = issue.save_revision()
    issue.subject_da = "Rettet emne"
    issue.save()
    issue.save_revision()
    send(sender, issue)

    response = sender.get(f"{ADMIN}/edit/{issue.pk}/")
    assert response.status_code == 302 and response["Location"] == f"{ADMIN}/inspect/{issue.pk}/"
    inspect = sender.get(response["Location"]).content.decode()
    assert "kan ikke længere ændres" in inspect
    assert f"{ADMIN}/edit/{issue.pk}/" not in inspect and f"{ADMIN}/delete/{issue.pk}/" not in inspect
    sender.post(f"{ADMIN}/edit/{issue.pk}/", {"subject_da": "Ændret", "body_da": "Ændret."})
    sender.post(
        f"{ADMIN}/history/{issue.pk}/revisions/{first_revision.pk}/revert/",
        {"subject_da": "Nyt fra Ansatte", "body_da": "Hej med dig."},
    )
    sender.post(f"{ADMIN}/delete/{issue.pk}/")
    issue.refresh_from_db()
    assert (issue.subject_da, issue.status) == ("Rettet emne", NewsletterIssue.Status.SENDING)

    run_jobs()
    # A revision of the draft, brought back as an object, keeps the send state of the issue.
    first_revision = Revision.objects.get(pk=first_revision.pk)
    assert first_revision.as_object().status == NewsletterIssue.Status.SENT
    assert first_revision.as_object().sent_count == 2
    # Once sent, the issue may be deleted (its deliveries go with it); a copy starts as a new draft.
    copy = sender.get(f"{ADMIN}/copy/{issue.pk}/")
    assert copy.status_code == 200 and "Rettet emne" in copy.content.decode()
    assert sender.post(f"{ADMIN}/delete/{issue.pk}/").status_code == 302
    assert not NewsletterIssue.objects.exists() and not IssueDelivery.objects.exists()


def test_deleting_a_subscriber_deletes_their_deliveries(subscribers, issue):
    issues.queue(issue, None)
    run_jobs()
    subscribers["da"].delete()
    assert list(IssueDelivery.objects.values_list("subscriber__email", flat=True)) == ["english@example.test"]


@pytest.mark.django_db
def test_an_editor_saving_a_stale_form_cannot_put_a_sending_issue_back_to_draft(subscribers, issue):
    stale = NewsletterIssue.objects.get(pk=issue.pk)  # the edit form was loaded while it was a draft
    issues.queue(issue, None)  # meanwhile someone pressed Send
    stale.subject_da = "Rettet emne"
    stale.save()  # what the edit view's form.save() does
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENDING and issue.subject_da == "Rettet emne"
    assert issue.recipients_total == 2  # the two confirmed subscribers


def test_an_address_marked_confirmed_without_its_double_opt_in_is_never_mailed(subscribers, issue):
    Subscriber.objects.create(email="by-hand@example.test", status=CONFIRMED)  # no consented_at: no proof
    assert issues.recipients_by_language() == {"da": 1, "en": 1}
    issues.queue(issue, None)
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == ["dansk@example.test", "english@example.test"]
    issue.refresh_from_db()
    assert (issue.recipients_total, issue.sent_count) == (2, 2)
