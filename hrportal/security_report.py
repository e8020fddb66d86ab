"""The annual security review's figures (årlig sikkerhedsgennemgang), read from the live system (issue 18).

The privacy policy promises a yearly review of the service's security. A review typed from memory checks
nothing, so every figure here is computed when the report is made: who logs in with which second
factor, accounts nobody has used for 90 days, the age of each key, whether each company's audit chain
still verifies, the data-subject requests still open or overdue, DPA acceptance, mandates, the retention
sweep's last run, failed jobs, Django's deployment checks, package versions and the last cookie scan.

Per-company figures are read inside each company's own scope (`company_scope`), one company at a time,
so the report needs no cross-company door: row-level security sees an ordinary request per company.
Nothing in the report is personal data beyond the e-mail addresses of inactive accounts, which the
reviewer needs in order to act on them.
"""

import datetime
import hashlib
import importlib.metadata
import json
import os

from django.contrib.auth import get_user_model
from django.core import checks
from django.db.models import Q
from django.utils import timezone

INACTIVE_DAYS = 90
FAILED_JOBS_DAYS = 365
PACKAGES = ["Django", "wagtail", "cryptography", "django-otp", "pyHanko", "psycopg", "gunicorn", "fpdf2"]


def _two_factor(users) -> dict:
    from hrportal.accounts.devices import BackupCodeDevice, TOTPDevice

    users = list(users)
    ids = [user.pk for user in users]
    totp = set(TOTPDevice.objects.filter(user_id__in=ids, confirmed=True).values_list("user_id", flat=True))
    backup = {
        device.user_id: device.remaining()
        for device in BackupCodeDevice.objects.filter(user_id__in=ids, confirmed=True)
    }
    return {
        "users": len(users),
        "totp": len(totp),
        "backup_codes": sum(1 for pk in ids if backup.get(pk, 0) > 0),
        "backup_codes_low": sum(1 for pk in ids if pk in backup and backup[pk] < 3),
        "without_second_factor": sorted(user.email for user in users if user.pk not in totp),
    }


def _accounts(now) -> dict:
    from hrportal.companies.models import Membership

    User = get_user_model()
    active = User.objects.filter(is_active=True)
    staff = active.filter(is_staff=True)
    editors = active.filter(is_staff=False, groups__isnull=False).distinct()
    admins = active.filter(memberships__role=Membership.Role.ADMIN).distinct()
    cutoff = now - datetime.timedelta(days=INACTIVE_DAYS)
    inactive = active.filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    return {
        "two_factor": {
            "staff": _two_factor(staff),
            "editors": _two_factor(editors),
            "company_admins": _two_factor(admins),
        },
        "inactive_90_days": sorted(inactive.values_list("email", flat=True)),
    }


def _keys() -> dict:
    from hrportal.encryption import keyring

    masters = keyring.master_keys()
    return {
        "master_keys": [{"id": key.key_id, "current": index == 0} for index, key in enumerate(masters)],
    }


def _company(company, today, now) -> dict:
    from cms_pages.dpa import content
    from hrportal.audit.log import verify_chain
    from hrportal.encryption.models import DataKey
    from hrportal.jobs.models import Job
    from hrportal.privacy.models import DataSubjectRequest, DPAAcceptance
    from hrportal.tenancy import company_scope

    with company_scope(company):
        key = DataKey.objects.filter(company=company, retired_at=None, destroyed_at=None).first()
        rotated = (
            DataKey.objects.filter(company=company, retired_at__isnull=False).order_by("-retired_at").first()
        )
        open_requests = DataSubjectRequest.objects.filter(status=DataSubjectRequest.Status.OPEN)
        current = content.current_agreement()
        accepted = current is not None and DPAAcceptance.objects.filter(version=current.version).exists()
        sweep = (
            Job.objects.filter(kind=Job.Kind.RETENTION_SWEEP, finished_at__isnull=False)
            .order_by("-finished_at")
            .first()
        )
        failed_jobs = Job.objects.filter(
            status=Job.Status.FAILED, created_at__gte=now - datetime.timedelta(days=FAILED_JOBS_DAYS)
        ).count()
        mandate = company.active_mandate()
        broken = verify_chain(company.pk)
        return {
            "id": company.pk,
            "name": company.name,
            "data_key": {
                "id": key.key_id if key else None,
                "master_key": key.master_key_id if key else None,
                "age_days": (now - key.created_at).days if key else None,
                "last_rotation": rotated.retired_at.isoformat() if rotated else None,
            },
            "audit_chain": "intact" if broken is None else f"broken at #{broken.pk}: {broken.reason}",
            "requests": {
                "open": open_requests.count(),
                "overdue": open_requests.filter(due_on__lt=today).count(),
            },
            "dpa": {"current_version": current.version if current else None, "accepted": accepted},
            "mandate_active": mandate is not None,
            "retention_sweep": {
                "finished_at": sweep.finished_at.isoformat() if sweep else None,
                "status": sweep.status if sweep else None,
                "deleted": sweep.result if sweep else {},
            },
            "failed_jobs_last_year": failed_jobs,
        }


def _deploy_checks() -> list[str]:
    found = checks.run_checks(include_deployment_checks=True)
    return sorted(f"{message.id}: {message.msg}" for message in found if message.level >= checks.WARNING)


def _packages() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _cookie_scan() -> dict | None:
    from cms_pages.consent.models import CookieScan

    scan = CookieScan.objects.order_by("-started_at").first()
    if scan is None:
        return None
    return {
        "started_at": scan.started_at.isoformat(),
        "failed": scan.failed,
        "new_cookies": len(scan.new_cookies),
        "undeclared_hosts": len(scan.undeclared_hosts),
    }


def build(*, now=None) -> dict:
    """The report as plain data (JSON-ready), with a SHA-256 of its canonical form for the sign-off."""
    from hrportal.companies.models import Company

    now = now or timezone.now()
    today = timezone.localdate(now)
    report = {
        "generated_at": now.isoformat(),
        "settings_module": os.environ.get("DJANGO_SETTINGS_MODULE", ""),
        **_accounts(now),
        **_keys(),
        "companies": [_company(company, today, now) for company in Company.objects.order_by("pk")],
        "deploy_checks": _deploy_checks(),
        "packages": _packages(),
        "cookie_scan": _cookie_scan(),
    }
    report["summary"] = {
        "companies": len(report["companies"]),
        "broken_audit_chains": sum(1 for c in report["companies"] if c["audit_chain"] != "intact"),
        "overdue_requests": sum(c["requests"]["overdue"] for c in report["companies"]),
        "dpa_not_accepted": sum(1 for c in report["companies"] if not c["dpa"]["accepted"]),
        "users_without_second_factor": sorted(
            {email for group in report["two_factor"].values() for email in group["without_second_factor"]}
        ),
    }
    report["sha256"] = fingerprint(report)
    return report


def fingerprint(report: dict) -> str:
    body = {key: value for key, value in report.items() if key != "sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
