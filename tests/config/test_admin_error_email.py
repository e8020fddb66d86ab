"""A request that fails mails the operators enough to find it, and nothing a visitor typed or holds."""

import logging

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

CPR = "010203-1234"
SECRET_NOTE = "Opsagt pga. sygdom"


class Boom(Exception):
    pass


def boom(request):
    employee_note = request.POST.get("note", "")  # a local variable holding personal data
    raise Boom(f"could not save {employee_note} for {request.POST.get('cpr')}")


def fine(request):
    logging.getLogger("hrportal.test").warning("something to look at")
    return HttpResponse("ok")


urlpatterns = [path("boom/", boom), path("fine/", fine)]


@pytest.fixture
def failing_site(settings):
    settings.ADMINS = [("Ops", "ops@example.test")]
    settings.DEBUG = False
    with override_settings(ROOT_URLCONF=__name__):
        yield Client(raise_request_exception=False, enforce_csrf_checks=False)


@pytest.mark.django_db
def test_the_error_email_names_the_request_but_holds_no_post_data_cookies_query_or_message(failing_site):
    failing_site.cookies["sessionid"] = "s3ss10n-v4lue-that-must-not-leak"
    failing_site.cookies["ansatte_consent"] = "consent-cookie-value"
    response = failing_site.post(
        "/boom/?q=Jensen",
        {"cpr": CPR, "note": SECRET_NOTE, "password": "Hemmelig-kode-123"},
        HTTP_X_REQUEST_ID="rid-test-0001",
        HTTP_HOST="public.testserver",  # /boom/ is a public-site path (config/origins.py)
    )
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    text = message.subject + message.body + "".join(str(a) for a in message.alternatives)
    assert "rid-test-0001" in text
    assert "POST /boom/" in text
    assert "Boom" in text
    assert "test_admin_error_email.py" in text  # the frame is named, so the operator finds the line
    for leaked in (CPR, SECRET_NOTE, "Hemmelig-kode-123", "s3ss10n", "consent-cookie-value", "Jensen"):
        assert leaked not in text
    assert not message.alternatives  # no HTML technical report
    assert response["X-Request-ID"] == "rid-test-0001"


@pytest.mark.django_db
def test_a_hostile_request_id_is_replaced(failing_site):
    response = failing_site.post(
        "/boom/", {}, HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b <script>", HTTP_HOST="public.testserver"
    )
    rid = response["X-Request-ID"]
    assert "<" not in rid and "\n" not in rid and len(rid) == 32
    assert rid in mail.outbox[0].body


@pytest.mark.django_db
def test_log_lines_carry_timestamp_level_and_request_id(failing_site, capsys):
    from config.request_id import RequestIdFilter
    from config.settings.base import LOGGING

    formatter = logging.Formatter(LOGGING["formatters"]["operator"]["format"])
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    keep = Keep()
    keep.setFormatter(formatter)
    keep.addFilter(RequestIdFilter())
    logging.getLogger("hrportal").addHandler(keep)
    try:
        failing_site.get("/fine/", HTTP_X_REQUEST_ID="rid-test-0002", HTTP_HOST="public.testserver")
    finally:
        logging.getLogger("hrportal").removeHandler(keep)
    assert len(records) == 1
    line = records[0]
    assert " WARNING rid=rid-test-0002 hrportal.test: something to look at" in line
    assert line[:4].isdigit()  # starts with the timestamp
