"""The security review's figures come from the live system (issue 18): seeded weaknesses show up."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from hrportal import security_report
from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.encryption.models import DataKey
from hrportal.tenancy import company_scope
from tests.factories import MembershipFactory, UserFactory, gdpr_request, make_employee
from tests.hrportal.audit.test_audit import tamper


def by_name(report, company):
    return next(c for c in report["companies"] if c["id"] == company.pk)


@pytest.mark.django_db
def test_the_report_finds_a_missing_second_factor_an_old_key_a_broken_chain_and_an_overdue_request(
    company, other_company, admin_user
):
    careless = UserFactory(email="uden-totp@example.test")
    MembershipFactory(user=careless, company=company)
    make_employee(company)  # the company's data key exists once something is encrypted
    make_employee(other_company)
    with company_scope(company):
        DataKey.objects.filter(company=company).update(
            created_at=timezone.now() - datetime.timedelta(days=400)
        )
    events = [record(Action.LOGIN, company=company) for _ in range(3)]
    record(Action.LOGIN, company=other_company)
    tamper(events[1].pk)
    gdpr_request(company, received_on=timezone.localdate() - datetime.timedelta(days=70))

    report = security_report.build()
    admins = report["two_factor"]["company_admins"]
    assert "uden-totp@example.test" in admins["without_second_factor"]
    assert admin_user.email not in admins["without_second_factor"]
    assert admins["totp"] >= 1
    assert "uden-totp@example.test" in report["summary"]["users_without_second_factor"]

    ours, theirs = by_name(report, company), by_name(report, other_company)
    assert ours["data_key"]["age_days"] >= 400 and theirs["data_key"]["age_days"] < 2
    assert ours["audit_chain"].startswith(f"broken at #{events[1].pk}")
    assert theirs["audit_chain"] == "intact"
    assert ours["requests"] == {"open": 1, "overdue": 1}
    assert theirs["requests"] == {"open": 0, "overdue": 0}
    assert report["summary"]["broken_audit_chains"] == 1
    assert report["packages"]["Django"] and report["packages"]["wagtail"]
    assert any(key["current"] for key in report["master_keys"])


@pytest.mark.django_db
def test_the_command_writes_json_with_its_hash(company, tmp_path, capsys):
    target = tmp_path / "report.json"
    call_command("security_report", output=str(target))
    report = json.loads(target.read_text())
    assert report["sha256"] == security_report.fingerprint(report)
    assert f"sha256 {report['sha256']}" in capsys.readouterr().err
    report["summary"]["overdue_requests"] += 1  # an edited report no longer matches its hash
    assert report["sha256"] != security_report.fingerprint(report)
