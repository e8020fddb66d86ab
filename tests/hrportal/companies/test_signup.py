"""Company signup end to end: email link, SMS code, password, authenticator, backup codes, active company."""

import pyotp
import pytest
from django.core import mail
from django.test import Client
from freezegun import freeze_time

from hrportal.accounts.devices import BackupCode, TOTPDevice
from hrportal.audit.models import Action, AuditEvent
from hrportal.companies.models import Company, Membership, SignupConfirmation
from tests.factories import CompanyFactory, UserFactory
from tests.hrportal.helpers import last_email_link, last_sms_code, path_of

SIGNUP = {
    "name": "Karen Jensen",
    "email": "karen@nyfirma.dk",
    "mobile": "20 12 34 56",
    "company_name": "Nyt Firma ApS",
    "cvr": "12345674",
    "address": "Vestergade 1",
    "postal_code": "8000",
    "city": "Aarhus C",
    "authority": "on",
}


def start(client, **overrides):
    return client.post("/portal/signup/", {**SIGNUP, **overrides})


@pytest.mark.django_db
def test_full_signup_makes_an_active_company_with_the_signer_as_admin(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client)
    assert response.status_code == 302 and response["Location"] == "/portal/signup/check-email/"
    company = Company.objects.get(cvr="12345674")
    assert company.status == Company.Status.PENDING
    confirmation = SignupConfirmation.objects.get(company=company)
    assert confirmation.wording_version and confirmation.ip_hash and "127.0.0.1" not in confirmation.ip_hash

    # Email link, opened in a fresh browser: GET shows a button, POST confirms.
    link = path_of(last_email_link())
    browser = Client()
    assert browser.get(link).status_code == 200
    confirmation.refresh_from_db()
    assert confirmation.email_verified_at is None
    response = browser.post(link)
    assert response["Location"] == "/portal/signup/mobile/"

    # SMS code
    browser.post("/portal/signup/mobile/", {"send": "1"})
    response = browser.post("/portal/signup/mobile/", {"code": last_sms_code()})
    assert response["Location"] == "/portal/signup/password/"

    # Password, then the company is still pending until an authenticator is enrolled.
    response = browser.post(
        "/portal/signup/password/",
        {"new_password1": "Sikker-adgang-2026", "new_password2": "Sikker-adgang-2026"},
    )
    assert response["Location"].startswith("/portal/two-factor/setup/")
    assert browser.get("/portal/").status_code == 302  # password-only session is not enough
    company.refresh_from_db()
    assert company.status == Company.Status.PENDING

    page = browser.get("/portal/two-factor/setup/")
    assert b"<svg" in page.content  # QR code
    device = TOTPDevice.objects.get(user__email="karen@nyfirma.dk", confirmed=False)
    assert device.base32_key in page.content.decode()  # typed-secret alternative
    response = browser.post("/portal/two-factor/setup/", {"code": pyotp.TOTP(device.base32_key).now()})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10

    company.refresh_from_db()
    assert company.status == Company.Status.ACTIVE
    signer = Membership.objects.get(company=company).user
    assert signer.email == "karen@nyfirma.dk" and signer.mobile == "+4520123456"
    dashboard = browser.get("/portal/")
    assert dashboard.status_code == 200 and b"Nyt Firma ApS" in dashboard.content
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.SIGNUP_COMPLETED).exists()
    # Backup codes are stored as keyed hashes only.
    stored = set(BackupCode.objects.values_list("code_hash", flat=True))
    assert not any(code.replace("-", "") in h for code in codes for h in stored)


@pytest.mark.django_db
def test_signup_rejects_invalid_and_duplicate_cvr_with_clear_errors():
    CompanyFactory(cvr="12345674")
    response = start(Client(), cvr="12345678")
    assert response.status_code == 200
    assert "check digit" in response.content.decode() or "kontrolciffer" in response.content.decode()
    response = start(Client())
    text = response.content.decode()
    assert "already uses Ansatte" in text or "bruger allerede" in text
    assert Company.objects.count() == 1


@pytest.mark.django_db
def test_signup_requires_the_authority_confirmation():
    response = start(Client(), authority="")
    assert response.status_code == 200
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_existing_email_gets_the_same_answer_and_creates_nothing():
    UserFactory(email="karen@nyfirma.dk")
    response = start(Client())
    assert response["Location"] == "/portal/signup/check-email/"
    assert not Company.objects.exists()
    assert "already has an account" in mail.outbox[-1].body or "allerede" in mail.outbox[-1].body


@pytest.mark.django_db
def test_email_link_expires_and_is_bound_to_its_signup(django_capture_on_commit_callbacks):
    with freeze_time("2026-11-01 10:00"):
        with django_capture_on_commit_callbacks(execute=True):
            start(Client())
        link = path_of(last_email_link())
    with freeze_time("2026-11-02 10:01"):
        response = Client().post(link)
    assert response.status_code == 400
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa/") else "bbb") + "/"
    assert Client().post(tampered).status_code == 400


@pytest.mark.django_db
def test_sms_codes_are_limited_in_attempts_and_sends(django_capture_on_commit_callbacks, settings):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        start(client)
    client.post(path_of(last_email_link()))
    client.post("/portal/signup/mobile/", {"send": "1"})
    good = last_sms_code()
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(settings.SMS_CODE_MAX_ATTEMPTS):
        client.post("/portal/signup/mobile/", {"code": wrong})
    response = client.post("/portal/signup/mobile/", {"code": good})
    assert response.status_code == 200  # locked: the right code no longer works
    assert SignupConfirmation.objects.get().mobile_verified_at is None
    for _ in range(settings.SMS_CODE_MAX_SENDS_PER_HOUR):
        client.post("/portal/signup/mobile/", {"send": "1"})
    response = client.post("/portal/signup/mobile/", {"send": "1"})
    assert "Too many codes" in response.content.decode() or "For mange" in response.content.decode()


@pytest.mark.django_db
def test_mobile_and_password_steps_need_a_confirmed_email(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        start(client)
    assert client.get("/portal/signup/mobile/").status_code == 404
    assert client.get("/portal/signup/password/").status_code == 404


@pytest.mark.django_db
def test_a_stale_pending_signup_frees_the_cvr_and_its_personal_data(django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with freeze_time("2026-11-01 10:00"), django_capture_on_commit_callbacks(execute=True):
        start(Client())
    assert Company.objects.filter(cvr="12345674", status=Company.Status.PENDING).exists()
    with freeze_time("2026-11-09 10:00"):
        call_command("purge_pending_signups")
    assert not Company.objects.filter(cvr="12345674").exists()
    assert not SignupConfirmation.objects.exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="karen@nyfirma.dk").exists()


@pytest.mark.django_db
def test_a_new_signup_takes_over_a_stale_pending_one(django_capture_on_commit_callbacks):
    with freeze_time("2026-11-01 10:00"), django_capture_on_commit_callbacks(execute=True):
        start(Client(), email="squatter@example.test")
    with freeze_time("2026-11-09 10:00"), django_capture_on_commit_callbacks(execute=True):
        response = start(Client())
    assert response["Location"] == "/portal/signup/check-email/"
    assert SignupConfirmation.objects.get().signer_email == "karen@nyfirma.dk"


@pytest.mark.django_db
def test_signups_are_rate_limited_per_address():
    from hrportal.companies.signup import SIGNUPS_PER_IP_PER_HOUR

    for n in range(SIGNUPS_PER_IP_PER_HOUR):
        start(Client(), cvr="bad", email=f"x{n}@example.test")
    response = start(Client())
    assert response.status_code == 429
    assert not Company.objects.exists()


def test_concurrent_sms_code_guesses_cannot_exceed_the_attempt_limit(settings, monkeypatch):
    """Many guesses at once against one SMS: at most SMS_CODE_MAX_ATTEMPTS are ever compared.

    Comparing is slowed down so that every guess is in flight at the same time, which is what let a
    read-then-write counter be read as 0 by all of them.
    """
    import threading
    import time

    from hrportal.companies import signup

    confirmation = SignupConfirmation(pk=424242, signer_mobile="+4512345678")
    signup.send_sms_code(confirmation)
    real_keyed_hash = signup.keyed_hash
    compared = []

    def slow_keyed_hash(purpose, value):
        compared.append(value)
        time.sleep(0.05)
        return real_keyed_hash(purpose, value)

    monkeypatch.setattr(signup, "keyed_hash", slow_keyed_hash)
    guesses = 4 * settings.SMS_CODE_MAX_ATTEMPTS
    barrier = threading.Barrier(guesses)
    outcomes = []

    def guess(n):
        barrier.wait()
        try:
            outcomes.append(signup.verify_sms_code(confirmation, f"{n:06d}"))
        except signup.SignupError:
            outcomes.append("refused")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(compared) <= settings.SMS_CODE_MAX_ATTEMPTS
    assert outcomes.count("refused") >= guesses - settings.SMS_CODE_MAX_ATTEMPTS
    assert True not in outcomes


def test_a_new_sms_code_gets_a_fresh_attempt_count(settings):
    from hrportal.companies import signup
    from tests.hrportal.helpers import last_sms_code

    confirmation = SignupConfirmation(pk=434343, signer_mobile="+4512345678")
    signup.send_sms_code(confirmation)
    first = last_sms_code()
    wrong = "000000" if first != "000000" else "111111"
    for _ in range(settings.SMS_CODE_MAX_ATTEMPTS):
        assert signup.verify_sms_code(confirmation, wrong) is False
    with pytest.raises(signup.SignupError):
        signup.verify_sms_code(confirmation, first)
    signup.send_sms_code(confirmation)
    assert signup.verify_sms_code(confirmation, wrong if last_sms_code() != wrong else "222222") is False
