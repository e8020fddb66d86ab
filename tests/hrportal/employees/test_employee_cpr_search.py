"""A CPR search never puts the full number in a URL, an access-log line, a `next` field or a Referer.

Each request of the flow is written to an access log by the logger the deployed server uses (the
`logger_class` and format of site/deploy/gunicorn.conf.py; gunicorn's default format logs the request line
and the Referer), and that file is grepped, as the attacker grepped the production log.
"""

import datetime
import re
import runpy
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from gunicorn.config import Config

from hrportal.employees import searches
from hrportal.employees.cpr import contains_cpr
from tests.conftest import login_verified
from tests.factories import make_employee

DEPLOYED_CONF = Path(settings.BASE_DIR) / "site" / "deploy" / "gunicorn.conf.py"
LIST = "/portal/employees/"
CPR = "170485-1234"
FORMS_OF_CPR = ("170485-1234", "1704851234", "170485%2D1234", "170485+-+1234")


class AccessLog:
    """gunicorn's access logger writing to a file; `log(response)` logs the request that made it."""

    def __init__(self, path):
        self.path = path
        cfg = Config()
        deployed = runpy.run_path(str(DEPLOYED_CONF))
        for key in ("logger_class", "access_log_format"):
            if key in deployed:
                cfg.set(key, deployed[key])
        cfg.set("accesslog", str(path))
        self.logger = cfg.logger_class(cfg)

    def log(self, response):
        environ = dict(response.wsgi_request.environ)
        query = environ.get("QUERY_STRING", "")
        environ["RAW_URI"] = environ["PATH_INFO"] + (f"?{query}" if query else "")
        environ.setdefault("SERVER_PROTOCOL", "HTTP/1.1")

        class Resp:
            status = f"{response.status_code} {response.reason_phrase}"
            sent = len(response.content) if not response.streaming else 0
            headers = list(response.items())

        class Req:
            headers = [(k[5:].replace("_", "-"), v) for k, v in environ.items() if k.startswith("HTTP_")]

        self.logger.access(Resp(), Req(), environ, datetime.timedelta(milliseconds=5))
        return response

    def text(self):
        for handler in self.logger.access_log.handlers:
            handler.flush()
        return self.path.read_text()

    def close(self):
        self.logger.close_on_exec()
        for handler in list(self.logger.access_log.handlers):
            handler.close()
            self.logger.access_log.removeHandler(handler)


@pytest.fixture
def access_log(tmp_path):
    log = AccessLog(tmp_path / "access.log")
    yield log
    log.close()


@pytest.fixture
def employees(company):
    return (
        make_employee(company, name="Karen Blixen", cpr=CPR),
        make_employee(company, name="Hans Christian Andersen", cpr="020405-1111"),
    )


def assert_no_cpr(text, where):
    for form in FORMS_OF_CPR:
        assert form not in text, f"{form} in {where}"
    assert not contains_cpr(text), where


def test_a_cpr_typed_into_the_address_is_redacted_from_the_log_and_not_searched(
    admin_client, access_log, employees
):
    """The detector sees the number in the request in every encoding (so the checks here can fail), but the
    deployed logger writes the line without it, and the page the request leads to drops it."""
    referer = f"http://testserver{LIST}?q=170485%2D1234"
    response = access_log.log(admin_client.get(LIST, {"q": CPR}, HTTP_REFERER=referer))
    assert contains_cpr(response.wsgi_request.environ["QUERY_STRING"]) and contains_cpr(referer)
    assert all(contains_cpr(form) for form in FORMS_OF_CPR)
    log = access_log.text()
    assert "GET /portal/employees/?q=[CPR] HTTP/1.1" in log and "?q=[CPR]" in log.split('"')[3]
    assert_no_cpr(log, "the access log")
    assert response.status_code == 302 and response["Location"] == LIST
    page = admin_client.get(response["Location"])
    body = page.content.decode()
    assert_no_cpr(body, "the page after a CPR in the address")
    assert "Andersen" in body  # the unfiltered list: the URL's CPR was not used
    assert "søgefeltet" in body or "search form" in body


def test_cpr_search_posts_and_the_number_reaches_no_url_log_next_or_referer(
    admin_client, access_log, employees
):
    response = access_log.log(admin_client.post(LIST, {"q": CPR, "status": "all", "sort": "-name"}))
    assert response.status_code == 302
    location = response["Location"]
    assert re.fullmatch(r"/portal/employees/\?search=[\w-]{16}&status=all&sort=-name", location), location

    # The browser follows the redirect, sending the list's URL as Referer (Referrer-Policy: same-origin).
    page = access_log.log(admin_client.get(location, HTTP_REFERER=f"http://testserver{LIST}"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Karen Blixen" in body and "Andersen" not in body
    assert "170485-XXXX" in body  # what was searched for, masked
    assert_no_cpr(body, "the result page")
    for field in re.findall(r'name="next" value="([^"]*)"', body):
        assert "search=" in field  # the language switcher comes back to the search, by its id
        assert_no_cpr(field, "a next field")

    # The next click (an employee's page) carries the result page's URL as Referer.
    detail = re.search(r'href="(/portal/employees/\d+/)"', body).group(1)
    access_log.log(admin_client.get(detail, HTTP_REFERER=f"http://testserver{location}"))

    log = access_log.text()
    assert log.count("\n") == 3
    assert "POST /portal/employees/ HTTP/1.1" in log and "search=" in log
    assert_no_cpr(log, "the access log")


def test_the_session_keeps_the_blind_index_not_the_number(admin_client, employees):
    admin_client.post(LIST, {"q": "1704851234"})
    stored = admin_client.session[searches.SESSION_KEY]
    assert len(stored) == 1
    assert not any(form in repr(stored) for form in FORMS_OF_CPR)
    (entry,) = stored.values()
    assert entry["masked"] == "170485-XXXX" and entry["index"] == employees[0].cpr_index


def test_pagination_keeps_the_search_id(admin_client, company, settings):
    settings.EMPLOYEES_PER_PAGE = 1
    for _ in range(3):
        make_employee(company, name="Søren Sørensen")
    make_employee(company, name="Eneste Match", cpr=CPR)
    location = admin_client.post(LIST, {"q": CPR, "status": "all"})["Location"]
    body = admin_client.get(location).content.decode()
    assert "Eneste Match" in body and "Sørensen" not in body
    # a name search still works by GET, and pages
    body = admin_client.post(LIST, {"q": "sørensen"}, follow=True).content.decode()
    assert "Søren Sørensen" in body and "page=2" in body and "q=s%C3%B8rensen" in body


def test_a_search_id_is_useless_elsewhere_and_expires(
    admin_client, other_admin_client, admin_user, company, employees, settings
):
    location = admin_client.post(LIST, {"q": CPR})["Location"]
    search_id = re.search(r"search=([\w-]+)", location).group(1)
    # Another company's admin (another session) cannot use it.
    body = other_admin_client.get(location, follow=True).content.decode()
    assert "Blixen" not in body and ("udløbet" in body or "expired" in body)
    # The same user in another browser (another session) cannot either.
    second = login_verified(Client(), admin_user)
    body = second.get(location, follow=True).content.decode()
    assert "Blixen" not in body or "Andersen" in body  # not the CPR result: the unfiltered list at most
    assert "udløbet" in body or "expired" in body
    # A made-up id is refused the same way.
    response = admin_client.get(LIST, {"search": search_id[::-1]})
    assert response.status_code == 302 and "search=" not in response["Location"]
    # And it dies after EMPLOYEE_SEARCH_MAX_AGE.
    session = admin_client.session
    stored = session[searches.SESSION_KEY]
    stored[search_id]["expires"] = time.time() - 1
    session[searches.SESSION_KEY] = stored
    session.save()
    response = admin_client.get(location)
    assert response.status_code == 302 and "search=" not in response["Location"]


def test_a_cpr_shaped_query_with_no_date_finds_nobody(admin_client, employees):
    body = admin_client.post(LIST, {"q": "999999-1234", "status": "all"}, follow=True).content.decode()
    assert "Blixen" not in body and "Andersen" not in body
    assert "999999-XXXX" in body


def test_logged_out_a_cpr_in_the_address_is_not_carried_into_the_login_next(client, access_log, db):
    response = access_log.log(client.get(LIST, {"q": CPR, "status": "all"}))
    assert response.status_code == 302
    assert_no_cpr(response["Location"], "the login redirect")
    login = access_log.log(client.get(response["Location"]))
    assert_no_cpr(login.content.decode(), "the login page")
    log = access_log.text().splitlines()
    assert "?q=[CPR]&" in log[0] and not contains_cpr("\n".join(log))  # redacted, and not carried on
