"""The newsletter's unsubscribe link, followed from a captured email in chromium: one click is enough."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cms_pages.demo import ensure_home
from cms_pages.newsletter import issues
from cms_pages.newsletter.models import NewsletterIssue, Subscriber
from tests.conftest import run_jobs

pytestmark = pytest.mark.public_site


@pytest.fixture
def unsubscribe_link(transactional_db, live_server):
    """The unsubscribe link of a newsletter issue a confirmed subscriber got, pointed at the live server."""
    ensure_home()
    subscriber = Subscriber.objects.create(
        email="reader@example.test",
        language="da",
        status=Subscriber.Status.CONFIRMED,
        consented_at=timezone.now(),
    )
    mail.outbox.clear()
    issue = NewsletterIssue.objects.create(subject_da="Nyt", body_da="Hej")
    issues.queue(issue, None)
    run_jobs()
    (message,) = mail.outbox
    origin = settings.PUBLIC_ORIGIN
    url = re.search(rf"{re.escape(origin)}(/da/newsletter/unsubscribe/\S+/)", message.body).group(1)
    assert message.extra_headers["List-Unsubscribe"] == f"<{origin}{url}>"
    return subscriber, origin + url


@pytest.mark.django_db(transaction=True)
def test_following_the_link_from_the_email_unsubscribes_in_one_click(page, unsubscribe_link):
    subscriber, url = unsubscribe_link
    page.goto(url)
    page.get_by_role("heading", name="Du er afmeldt").wait_for()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_link_shows_a_button_and_only_the_post_unsubscribes(
    browser, live_server, unsubscribe_link
):
    subscriber, url = unsubscribe_link
    context = browser.new_context(base_url=settings.PUBLIC_ORIGIN, locale="da-DK", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url)
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.CONFIRMED  # a GET (a mail scanner) changes nothing
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name="Afmeld").click()
        expect(page.get_by_role("heading", name="Du er afmeldt")).to_be_visible()
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    finally:
        context.close()
