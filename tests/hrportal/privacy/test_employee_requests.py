"""Employees' own data-subject requests through their company's link (issue #18): the link and its QR code,
confirmation by an e-mailed code, nothing stored before it, the one-month deadline, the same answer for any
address, rate limits, company isolation, a regenerated link, matching by hand and the e-mails."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from hrportal.privacy import employee_requests
from hrportal.privacy.models import DataSubjectRequest, RequestLink
from hrportal.tenancy import company_scope
from tests.conftest import make_admin
from tests.factories import gdpr_employee

pytestmark = pytest.mark.django_db

FORM = {"kind": "access", "name": "Mette Medarbejder", "email": "mette@example.test", "message": "En kopi"}


def make_link(company, user=None):
    with company_scope(company):
        link = employee_requests.regenerate_link(user=user)
        return link, employee_requests.link_token(link)


def submit(client, token, **overrides):
    return client.post(reverse("employee_request", args=[token]), {**FORM, **overrides})


def code_from_outbox() -> str:
    return re.search(r"^(\d{6})$", mail.outbox[-1].body, re.MULTILINE).group(1)


def confirm(client, token, code):
    return client.post(reverse("employee_request_confirm", args=[token]), {"code": code})


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def requests_of(company):
    with company_scope(company):
        return list(DataSubjectRequest.objects.all())


def test_the_admin_makes_the_link_and_sees_it_with_a_qr_code(company, admin_client):
    page = admin_client.get(reverse("portal:request_link"))
    assert page.status_code == 200 and "<svg" not in page.content.decode()
    response = admin_client.post(reverse("portal:request_link_regenerate"))
    assert response.status_code == 302
    with company_scope(company):
        link = RequestLink.objects.get()
        url = employee_requests.link_url(link)
    page = admin_client.get(reverse("portal:request_link")).content.decode()
    assert url in page and "<svg" in page
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert token not in (str(company.pk), link.secret) and link.secret not in url  # neither id nor secret
    assert link.token_hash != token  # only a hash of the token is stored


def test_the_public_page_names_the_company_and_nothing_else(company):
    _, token = make_link(company)
    page = Client().get(reverse("employee_request", args=[token]))
    text = page.content.decode()
    assert page.status_code == 200 and company.name in text
    assert company.cvr not in text and company.address not in text and company.city not in text
    assert 'name="csrfmiddlewaretoken"' in text
    for kind in DataSubjectRequest.Kind:
        assert f'value="{kind.value}"' in text


def test_unknown_malformed_and_replaced_links_answer_the_same(company):
    link, token = make_link(company)
    make_link(company)  # replaces the first
    answers = [
        Client().get(reverse("employee_request", args=[t]))
        for t in (token, "0" * 32, "not-a-token", "x" * 200)
    ]
    assert {a.status_code for a in answers} == {410}
    assert len({a.content for a in answers}) == 1


def test_the_request_is_stored_only_once_the_emailed_code_is_entered(company):
    _, token = make_link(company)
    client = Client()
    response = submit(client, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("employee_request_confirm", args=[token])
    assert DataSubjectRequest.unscoped.count() == 0  # nothing stored before confirmation
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mette@example.test"]
    code = code_from_outbox()
    assert FORM["message"] not in repr(client.session.items())  # the session holds a reference only
    wrong = confirm(client, token, "000000" if code != "000000" else "111111")
    assert wrong.status_code == 400 and DataSubjectRequest.unscoped.count() == 0
    done = confirm(client, token, code)
    assert done.status_code == 200
    (dsr,) = requests_of(company)
    assert dsr.source == DataSubjectRequest.Source.EMPLOYEE_LINK and dsr.kind == "access"
    assert dsr.requester_email == "mette@example.test" and dsr.requester_name == "Mette Medarbejder"
    assert dsr.employee is None  # matched by the admin, never automatically
    assert dsr.received_on == datetime.date.today() and dsr.is_open
    # The code works once: the pending request is gone.
    assert confirm(client, token, code).status_code == 400 and len(requests_of(company)) == 1


def test_the_deadline_is_one_month_from_receipt(company):
    _, token = make_link(company)
    with freeze_time("2026-01-31 10:00"):
        client = Client()
        submit(client, token)
        confirm(client, token, code_from_outbox())
    (dsr,) = requests_of(company)
    assert dsr.received_on == datetime.date(2026, 1, 31) and dsr.due_on == datetime.date(2026, 2, 28)


def test_the_acknowledgement_carries_a_follow_link_that_shows_the_status(company, admin_client):
    _, token = make_link(company)
    client = Client()
    submit(client, token)
    confirm(client, token, code_from_outbox())
    ack = mail.outbox[-1]
    assert ack.to == ["mette@example.test"] and company.name in ack.body
    follow = re.search(r"http://testserver(/rights/follow/\S+/)", ack.body).group(1)
    page = Client().get(follow)
    assert page.status_code == 200 and company.name in page.content.decode()
    (dsr,) = requests_of(company)
    assert dsr.due_on.strftime("%Y") in page.content.decode()
    # Closing the request e-mails the person, with the same follow link, which then shows it closed.
    response = admin_client.post(reverse("portal:request_detail", args=[dsr.pk]), {"outcome": "Sendt kopi"})
    assert response.status_code == 302
    closed = mail.outbox[-1]
    assert closed.to == ["mette@example.test"] and follow in closed.body
    assert "Afsluttet den" in Client().get(follow).content.decode()
    assert closed.subject == "Din anmodning er afsluttet"


def test_the_answers_are_the_same_whatever_the_email(company):
    admin = make_admin(company)
    with company_scope(company):
        gdpr_employee(company, email="kendt@example.test")
    _, token = make_link(company)
    confirms, wrongs = [], []
    for email in (admin.email, "kendt@example.test", "ukendt@nowhere.test"):
        client = Client()
        response = submit(client, token, email=email)
        assert response.status_code == 302
        confirms.append((response["Location"], without_csrf(client.get(response["Location"]))))
        wrongs.append(without_csrf(confirm(client, token, "999999")))
    assert len(set(confirms)) == 1 and len(set(wrongs)) == 1
    assert all(email not in confirms[0][1] for email in ("kendt@example.test", admin.email))


def test_wrong_codes_are_counted_and_the_request_must_be_started_again(company):
    _, token = make_link(company)
    client = Client()
    submit(client, token)
    code = code_from_outbox()
    wrong = "000000" if code != "000000" else "111111"
    answers = [
        without_csrf(confirm(client, token, wrong)) for _ in range(employee_requests.CODE_MAX_ATTEMPTS)
    ]
    assert len(set(answers)) == 1  # every wrong code gets the same answer, whatever the count
    late = confirm(client, token, code)  # the right code, one attempt too many
    assert late.status_code == 400 and DataSubjectRequest.unscoped.count() == 0


def test_submissions_are_rate_limited_per_network(company):
    _, token = make_link(company)
    for n in range(employee_requests.SUBMITS_PER_IP_PER_HOUR):
        assert submit(Client(), token, email=f"p{n}@example.test").status_code == 302
    refused = submit(Client(), token, email="one-more@example.test")
    assert refused.status_code == 429
    assert len(mail.outbox) == employee_requests.SUBMITS_PER_IP_PER_HOUR  # no code sent for it


def test_code_attempts_are_rate_limited_per_network(company):
    _, token = make_link(company)
    client = Client()
    submit(client, token)
    code = code_from_outbox()
    for _ in range(employee_requests.CONFIRMS_PER_IP_PER_10_MINUTES):
        confirm(Client(), token, "123456")  # sessions without a request: still counted
    assert confirm(client, token, code).status_code == 429
    assert DataSubjectRequest.unscoped.count() == 0


def test_the_form_is_csrf_protected(company):
    _, token = make_link(company)
    response = submit(Client(enforce_csrf_checks=True), token)
    assert response.status_code == 403 and not mail.outbox


def test_another_companys_link_never_shows_or_receives_this_companys_requests(
    company, other_company, admin_client, other_admin_client
):
    _, token = make_link(company)
    _, other_token = make_link(other_company)
    client = Client()
    submit(client, other_token, name="Anden Person")
    confirm(client, other_token, code_from_outbox())
    assert requests_of(company) == [] and len(requests_of(other_company)) == 1
    (other_dsr,) = requests_of(other_company)
    assert "Anden Person" not in admin_client.get(reverse("portal:requests")).content.decode()
    assert admin_client.get(reverse("portal:request_detail", args=[other_dsr.pk])).status_code == 404
    assert "Anden Person" in other_admin_client.get(reverse("portal:requests")).content.decode()
    # A pending request started on one company's link cannot be confirmed on the other's.
    client = Client()
    submit(client, token)
    code = code_from_outbox()
    assert confirm(client, other_token, code).status_code == 400
    assert requests_of(company) == [] and len(requests_of(other_company)) == 1
    page = Client().get(reverse("employee_request", args=[other_token])).content.decode()
    assert other_company.name in page and company.name not in page


def test_a_regenerated_link_kills_the_old_one_and_its_pending_requests(company, admin_client):
    _, old = make_link(company)
    client = Client()
    submit(client, old)
    code = code_from_outbox()
    admin_client.post(reverse("portal:request_link_regenerate"))
    with company_scope(company):
        new = employee_requests.link_token(RequestLink.objects.get())
    assert new != old
    assert Client().get(reverse("employee_request", args=[old])).status_code == 410
    assert confirm(client, old, code).status_code == 410
    assert Client().get(reverse("employee_request", args=[new])).status_code == 200
    assert DataSubjectRequest.unscoped.count() == 0


def test_the_admin_matches_the_request_to_an_employee_by_hand(company, admin_client):
    with company_scope(company):
        namesake = gdpr_employee(company, name=FORM["name"])
        other = gdpr_employee(company, name="Nogen Andre")
    _, token = make_link(company)
    client = Client()
    submit(client, token)
    confirm(client, token, code_from_outbox())
    (dsr,) = requests_of(company)
    assert dsr.employee_id is None  # the same name is not a match
    page = admin_client.get(reverse("portal:request_detail", args=[dsr.pk])).content.decode()
    assert "mette@example.test" in page and 'name="employee_id"' in page
    response = admin_client.post(
        reverse("portal:request_detail", args=[dsr.pk]), {"action": "match", "employee_id": other.pk}
    )
    assert response.status_code == 302
    (dsr,) = requests_of(company)
    assert dsr.employee_id == other.pk != namesake.pk


def test_the_admins_list_shows_the_request_with_its_deadline(
    company, admin_client, django_assert_max_num_queries
):
    _, token = make_link(company)
    client = Client()
    submit(client, token)
    confirm(client, token, code_from_outbox())
    (dsr,) = requests_of(company)
    with django_assert_max_num_queries(25):
        listing = admin_client.get(reverse("portal:requests")).content.decode()
    assert "Mette Medarbejder" in listing and dsr.due_on.strftime("%Y") in listing


def test_the_pages_and_mails_speak_english_to_an_english_browser(company):
    _, token = make_link(company)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "Request about your personal data"
        in client.get(reverse("employee_request", args=[token])).content.decode()
    )
    submit(client, token)
    assert mail.outbox[-1].subject == "Your code to confirm your request"
    confirm(client, token, code_from_outbox())
    assert mail.outbox[-1].subject == "We have received your request"
    da = Client()
    assert (
        "Anmodning om dine personoplysninger"
        in da.get(reverse("employee_request", args=[token])).content.decode()
    )


def test_the_form_shows_clear_errors(company):
    _, token = make_link(company)
    response = submit(Client(), token, email="ikke-en-adresse", kind="")
    text = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in text and not mail.outbox
    assert DataSubjectRequest.unscoped.count() == 0


def test_the_demo_prints_a_working_link_whose_request_reaches_the_demo_admins_queue(
    capsys, django_capture_on_commit_callbacks
):
    import pyotp
    from django.core.management import call_command

    from hrportal.companies.models import Company
    from tests.conftest import login_verified

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    output = capsys.readouterr().out
    url = re.search(r"rights requests: http://testserver(/rights/\w+/)", output).group(1)
    client = Client()
    assert client.post(url, FORM).status_code == 302
    confirm(client, url.strip("/").split("/")[-1], code_from_outbox())
    (dsr,) = requests_of(Company.objects.get(name="Demo ApS"))
    line = next(line for line in output.splitlines() if "admin of Demo ApS" in line)
    admin = get_user_model().objects.get(email=line.split()[0])
    admin.totp = pyotp.TOTP(re.search(r"TOTP secret (\w+)", line).group(1))
    password = re.search(r"password for all: (\S+)\)", output).group(1)
    listing = login_verified(Client(), admin, password).get(reverse("portal:requests")).content.decode()
    assert FORM["name"] in listing and dsr.due_on.strftime("%Y") in listing
