import pytest
from django.test import Client

from tests.conftest import login_verified


@pytest.mark.django_db
def test_portal_is_danish_by_default_and_the_switch_is_saved_per_user(admin_user):
    client = login_verified(Client(), admin_user)
    page = client.get("/portal/")
    assert '<html lang="da">' in page.content.decode()
    response = client.post("/portal/language/", {"language": "en", "next": "/portal/"})
    assert response["Location"] == "/portal/"
    admin_user.refresh_from_db()
    assert admin_user.language == "en"
    fresh = login_verified(Client(HTTP_ACCEPT_LANGUAGE="da"), admin_user)
    assert '<html lang="en">' in fresh.get("/portal/").content.decode()


@pytest.mark.django_db
def test_unknown_language_falls_back_to_danish(admin_client, admin_user):
    admin_client.post("/portal/language/", {"language": "xx"})
    admin_user.refresh_from_db()
    assert admin_user.language == "da"


def test_every_audit_action_and_job_label_reads_in_danish():
    """The audit log and the job pages show these labels to Danish users; a new one without a translation
    would appear in English in the middle of a Danish page."""
    from django.utils import translation

    from hrportal.audit.models import Action
    from hrportal.companies.models import Company
    from hrportal.jobs.models import Job

    untranslated = []
    for choices in (Action.choices, Company.Status.choices, Job.Kind.choices, Job.Status.choices):
        for value, label in choices:
            with translation.override("en"):
                english = str(label)
            with translation.override("da"):
                if str(label) == english:
                    untranslated.append(value)
    assert not untranslated, f"add Danish translations for: {untranslated}"
