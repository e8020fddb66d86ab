"""An editor's new policy version goes through "Legal review", is translated, and reaches both histories."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from cms_pages.demo import load, policy_strings
from cms_pages.models import PolicyPage
from cms_pages.translation import translate
from tests.cms_pages.factories import body
from tests.conftest import login_verified, public_client
from tests.factories import UserFactory, add_totp_device

pytestmark = pytest.mark.django_db

SUMMARY_DA = "Nye opbevaringsfrister for lønsedler."
SUMMARY_EN = "New retention periods for payslips."
TEXT_DA = "Lønsedler opbevares nu i 5 år efter udgangen af regnskabsåret."
TEXT_EN = "Payslips are now kept for 5 years after the end of the financial year."


def member_of(group_name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    user.totp = add_totp_device(user)
    return user


def test_a_reviewed_policy_version_reaches_the_public_history_in_both_languages(
    site_content, django_capture_on_commit_callbacks
):
    editor, reviewer = member_of("Editors"), member_of("Reviewers")
    page = PolicyPage.objects.get(pk=PolicyPage.current("privacy", "da").pk)
    page.change_summary = SUMMARY_DA
    page.valid_from = timezone.localdate() + datetime.timedelta(days=30)
    page.body = body(TEXT_DA)
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)  # what "Send til Legal review" does

    visitor = public_client()
    assert SUMMARY_DA not in visitor.get("/da/privatlivspolitik/versioner/").content.decode()

    task_state = page.current_workflow_state.current_task_state
    reviewer_client = login_verified(Client(), reviewer)
    response = reviewer_client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "OK fra jura."}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live_revision.content["change_summary"] == SUMMARY_DA
    history = visitor.get("/da/privatlivspolitik/versioner/").content.decode()
    assert SUMMARY_DA in history and history.index(SUMMARY_DA) < history.index("Første udgave")
    assert TEXT_DA in visitor.get("/da/privatlivspolitik/").content.decode()

    strings = {**policy_strings(load("policies/privacy.json")), SUMMARY_DA: SUMMARY_EN, TEXT_DA: TEXT_EN}
    with django_capture_on_commit_callbacks(execute=True):
        translate(page, Locale.objects.get(language_code="en"), strings)
    history = visitor.get("/en/privacy-policy/versions/").content.decode()
    assert SUMMARY_EN in history and SUMMARY_DA not in history
    assert TEXT_EN in visitor.get("/en/privacy-policy/").content.decode()


def test_an_editor_cannot_approve_their_own_version(site_content):
    editor = member_of("Editors")
    page = PolicyPage.objects.get(pk=PolicyPage.current("privacy", "da").pk)
    page.change_summary = SUMMARY_DA
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    task_state = page.current_workflow_state.current_task_state
    login_verified(editor_client := Client(), editor)
    editor_client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""})
    page.refresh_from_db()
    assert page.live_revision.content["change_summary"] != SUMMARY_DA
    assert SUMMARY_DA not in public_client().get("/da/privatlivspolitik/versioner/").content.decode()
