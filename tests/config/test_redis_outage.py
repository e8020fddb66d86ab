"""Redis unreachable (a REDIS_URL on a port where nothing listens): the site and login stay up.

The cache degrades to no cache, logged once; what must be shared (rate limits, codes) refuses with a message
instead of letting the action through uncounted; /readyz says Redis is down.
"""

import logging
import os
import socket

import pytest
from django.core.cache import cache, caches
from django.test import Client, TestCase

from cms_pages.contact.models import ContactMessage
from cms_pages.demo import ensure_home
from config import cache as cache_module
from config.cache import caches_for
from tests.conftest import login_verified, public_client
from tests.factories import DEMO_PASSWORD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings, monkeypatch):
    cache_module._Outage.reset()
    monkeypatch.setattr(
        cache_module, "DOWN_SECONDS", 0
    )  # try Redis on every call: logging must still be once
    settings.CACHES = caches_for(f"redis://127.0.0.1:{free_port()}/0")
    yield
    cache_module._Outage.reset()


@pytest.fixture
def home(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ensure_home()


def outage_logs(caplog):
    records = caplog.get_records("setup") + caplog.get_records("call")
    return [r for r in records if r.name == "config.cache" and "Redis unreachable" in r.getMessage()]


def test_the_cache_backends_really_talk_to_the_unreachable_redis(redis_down):
    """Guard against testing nothing: the shared cache raises and the default cache is the degrading one."""
    assert type(caches["default"]).__name__ == "DegradingRedisCache"
    with pytest.raises(cache_module.SharedStateUnavailable):
        cache_module.shared_cache.get("anything")
    assert cache.get("anything", "miss") == "miss"
    assert cache.add("key", 1) is False
    cache.set("key", 1)  # dropped, no exception


@pytest.fixture
def outage_log(caplog):
    caplog.set_level(logging.INFO, logger="config.cache")
    return caplog


def test_public_pages_render_and_the_outage_is_logged_once(outage_log, redis_down, home):
    caplog = outage_log
    client = public_client()
    for _ in range(3):
        response = client.get("/da/")
        assert response.status_code == 200
        assert "Trygt HR" in response.content.decode()
    assert client.get("/en/").status_code == 200
    assert len(outage_logs(caplog)) == 1


def test_login_with_two_factors_and_the_employee_list_work(redis_down, admin_user, company):
    client = login_verified(Client(), admin_user)
    response = client.get("/portal/employees/")
    assert response.status_code == 200
    assert response.wsgi_request.user == admin_user


def test_a_wrong_password_is_still_counted_by_the_lockout(redis_down, admin_user, settings):
    """Lockouts live in the database (axes), so they hold without Redis."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/portal/login/", {"username": admin_user.email, "password": "wrong"})
    response = client.post("/portal/login/", {"username": admin_user.email, "password": DEMO_PASSWORD})
    assert response.status_code != 302
    assert "/portal/login/verify/" not in response.get("Location", "")


def test_a_rate_limited_form_refuses_with_a_message_and_saves_nothing(redis_down, home):
    client = public_client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/da/contact/",
            {"name": "Ida", "email": "ida@example.test", "subject": "complaint", "message": "Hej"},
            HTTP_ACCEPT_LANGUAGE="da",
        )
    assert response.status_code == 503
    text = response.content.decode()
    assert "Midlertidigt utilgængelig" in text and "intet blev gemt" in text
    assert not ContactMessage.objects.exists()
    english = client.post(
        "/en/contact/", {"name": "Ida", "email": "ida@example.test", "subject": "complaint", "message": "Hi"}
    )
    assert english.status_code == 503 and "nothing was saved" in english.content.decode()


def test_company_signup_is_refused_with_a_message_and_creates_nothing(redis_down, db):
    """Each signup sends an email and SMS codes: its per-IP limit and the codes need the shared cache."""
    from hrportal.companies.models import Company
    from tests.hrportal.companies.test_signup import SIGNUP

    response = Client().post("/portal/signup/", SIGNUP, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 503
    assert "Midlertidigt utilgængelig" in response.content.decode()
    assert not Company.objects.exists()


def test_sms_codes_are_not_sent_or_checked_without_the_shared_cache(redis_down, db):
    from hrportal.accounts import sms
    from hrportal.companies import signup

    confirmation = signup.SignupConfirmation(pk=515151, signer_mobile="+4512345678")
    with pytest.raises(cache_module.SharedStateUnavailable):
        signup.send_sms_code(confirmation)
    assert not sms.outbox
    with pytest.raises(cache_module.SharedStateUnavailable):
        signup.verify_sms_code(confirmation, "123456")


def test_readyz_reports_redis_down(redis_down, db):
    response = Client().get("/readyz")
    body = response.json()
    assert body["redis"] == "unreachable" and body["status"] == "degraded" and body["database"] == "ok"


def test_readyz_reports_redis_ok_when_it_answers(db, settings, tmp_path):
    """A real redis-server on a free port: the same check says ok ("unreachable" above is no constant)."""
    import shutil
    import subprocess
    import time

    server = shutil.which("redis-server")
    if not server:
        message = "redis-server not installed (apt-get install -y redis-server)"
        if os.environ.get("CI"):
            pytest.fail("CI is set but " + message)  # .ci/run installs it
        pytest.skip(message)
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        settings.CACHES = caches_for(f"redis://127.0.0.1:{port}/0")
        deadline = time.monotonic() + 10
        while cache_module.redis_status() != "ok" and time.monotonic() < deadline:
            time.sleep(0.1)
        body = Client().get("/readyz").json()
        assert body == {"status": "ok", "database": "ok", "redis": "ok"}
        cache.set("k", "v")
        assert cache.get("k") == "v"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_another_companys_id_is_still_a_404_and_every_denial_is_audited(
    redis_down, admin_user, other_company
):
    """The audit cap needs a count; without one the denial is written anyway (never an unlogged probe)."""
    from hrportal.audit.models import Action, AuditEvent
    from tests.factories import make_employee

    employee = make_employee(other_company, name="Anden Medarbejder")
    client = login_verified(Client(), admin_user)
    for _ in range(3):
        assert client.get(f"/portal/employees/{employee.pk}/").status_code == 404
    denied = AuditEvent.objects.filter(company_id=other_company.pk, action=Action.CROSS_COMPANY_DENIED)
    assert denied.count() == 3
