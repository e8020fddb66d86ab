"""factory-boy factories and helpers shared by the whole suite.

The tenant models have per-app factories beside their tests (`tests/hrportal/<app>/factories.py`), many built
on the helpers here.
"""

import datetime
import hashlib
import itertools
import secrets

import factory
import pyotp
from django.contrib.auth import get_user_model
from django.utils import timezone

from hrportal.accounts.devices import BackupCodeDevice, TOTPDevice
from hrportal.companies.models import Company, Invitation, Mandate, Membership

DEMO_PASSWORD = "correct horse battery staple 42"

_cvr_counter = itertools.count(10000000)


def next_valid_cvr() -> str:
    """Generate 8-digit CVR numbers that pass the modulus-11 check."""
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    while True:
        candidate = str(next(_cvr_counter))
        if sum(int(d) * w for d, w in zip(candidate, weights, strict=True)) % 11 == 0:
            return candidate


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Firma {n} ApS")
    cvr = factory.LazyFunction(next_valid_cvr)
    address = "Nyvej 9"
    postal_code = "4180"
    city = "Sorø"
    status = Company.Status.ACTIVE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Membership.Role.ADMIN


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    company = factory.SubFactory(CompanyFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation; `token` (not a field) is kept on the instance for tests that follow the link."""

    class Meta:
        model = Invitation

    company = factory.SubFactory(CompanyFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    name = "Inviteret Person"
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    token_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.token.encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))

    @classmethod
    def _get_manager(cls, model_class):
        return model_class.unscoped  # the default manager needs a company scope

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token = kwargs.pop("token", None)
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation


def add_totp_device(user) -> pyotp.TOTP:
    """Give `user` a confirmed authenticator; return a pyotp TOTP computing its codes independently."""
    device = TOTPDevice(user=user, name="Authenticator", confirmed=True)
    device.generate_key()
    device.save()
    return pyotp.TOTP(device.base32_key)


def add_backup_codes(user) -> list[str]:
    device, _ = BackupCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "Backup", "confirmed": True}
    )
    return device.generate_codes()


# --- Employees (hrportal.employees) -----------------------------------------------------------------------

# One counter for every factory's CPR numbers: each factory takes its serial from it, so no two factory
# employees share a serial (and so a CPR) within 10,000 of them. Separate counters per factory collided in
# one company once their offsets lined up, which depended on test order (a flaky IntegrityError).
_cpr_counter = itertools.count(1)


def next_cpr_serial() -> int:
    return next(_cpr_counter) % 10000


def cpr_born_1_january(year: int) -> str:
    """A CPR number born 1 January `year` (two digits) with a serial no other factory CPR has."""
    return f"0101{year % 100:02d}-{next_cpr_serial():04d}"


def next_synthetic_cpr() -> str:
    """A well-formed CPR number (valid date) for tests; serials are sequential, not real people's."""
    n = next(_cpr_counter)
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    return f"{day:02d}{month:02d}{70 + n % 30:02d}-{n % 10000:04d}"


def make_employee(company, **values):
    """Create an employee of `company` (inside its scope), with encrypted fields."""
    import datetime

    from hrportal.employees.models import Employee
    from hrportal.tenancy import company_scope

    defaults = {
        "name": "Mette Frederiksen",
        "cpr": next_synthetic_cpr(),
        "start_date": datetime.date(2021, 3, 1),
        "email": "mette@example.test",
    }
    defaults.update(values)
    with company_scope(company):
        employee = Employee(**defaults)
        employee.save()
    return employee


# --- Privacy and billing (hrportal.privacy, hrportal.billing) ---------------------------------------------


def gdpr_employee(company, **fields):
    """An employee of `company` saved directly (no audit event), for the privacy tests."""
    import datetime

    from hrportal.employees.models import Employee

    values = {
        "name": "Test Person",
        "cpr": cpr_born_1_january(80 + next_cpr_serial() % 10),
        "start_date": datetime.date(2020, 1, 1),
        "email": "person@example.test",
    }
    values.update(fields)
    employee = Employee(company=company, **values)
    employee.save()
    return employee


def gdpr_request(company, employee=None, **fields):
    import datetime

    from hrportal.privacy.models import DataSubjectRequest

    values = {"kind": "access", "received_on": datetime.date(2026, 1, 15)}
    values.update(fields)
    dsr = DataSubjectRequest(company=company, employee=employee or gdpr_employee(company), **values)
    dsr.save()
    return dsr


def gdpr_request_link(company, **fields):
    """A company's employee request link, made as the admin's button makes it (secret and hash together)."""
    from hrportal.privacy import employee_requests
    from hrportal.tenancy import company_scope

    with company_scope(company):
        return employee_requests.regenerate_link(user=fields.get("created_by"))


def gdpr_acceptance(company, **fields):
    from hrportal.privacy.models import DPAAcceptance

    values = {
        "agreement_id": 1,
        "version": "1",
        "language": "da",
        "text_sha256": "0" * 64,
        "processors_sha256": "0" * 64,
        "accepted_by_name": "Some Admin",
        "accepted_by_email": "admin@example.test",
    }
    values.update(fields)
    acceptance = DPAAcceptance(company=company, **values)
    acceptance.save()
    return acceptance


def gdpr_invoice(company, **fields):
    import datetime
    from decimal import Decimal

    from hrportal.billing.models import Invoice

    issued = fields.pop("issued_on", datetime.date(2026, 2, 1))
    values = {
        "number": f"T-{company.pk}-{Invoice.unscoped.count() + 1}",
        "plan": "standard",
        "period_start": issued.replace(day=1),
        "period_end": issued,
        "amount": Decimal("499.00"),
        "issued_on": issued,
        "due_on": issued + datetime.timedelta(days=14),
        "customer_name": company.name,
        "customer_cvr": company.cvr,
        "customer_address": f"{company.address}, {company.postal_code} {company.city}",
    }
    values.update(fields)
    invoice = Invoice(company=company, **values)
    invoice.save()
    return invoice


# --- Employment documents (hrportal.documents) ---------------------------------------------------------


def make_document_employee(company, **fields):
    """An employee of `company` for document tests (created inside the company's scope)."""
    import datetime

    from hrportal.employees.models import Employee
    from hrportal.tenancy import company_scope

    values = {
        "name": "Søren Æbelø",
        "address": "Åvej 3",
        "postal_code": "4180",
        "city": "Sorø",
        "email": "soren@example.test",
        "phone": "+4512345678",
        "cpr": cpr_born_1_january(90 + next_cpr_serial() % 10),
        "start_date": datetime.date(2020, 1, 1),
        "position": "Lagermedarbejder",
        "weekly_hours": 37,
        "salary": 32000,
    }
    values.update(fields)
    with company_scope(company):
        employee = Employee(**values)
        employee.save()
    return employee


def sample_pdf_bytes(text="Ansættelseskontrakt for Søren Æbelø – kendt indhold 12345") -> bytes:
    from hrportal.pdf import html_to_pdf

    return html_to_pdf(f"<h1>Test</h1><p>{text}</p>", title="Test", created_at=datetime.date(2026, 1, 5))


def make_document(company, employee=None, *, pdf: bytes | None = None, kind="contract"):
    """A stored (encrypted) PDF document of `company`."""
    import datetime
    import io

    from hrportal.documents import services
    from hrportal.tenancy import company_scope

    employee = employee or make_document_employee(company)
    with company_scope(company):
        return services.create_document(
            employee=employee,
            kind=kind,
            title="Kontrakt",
            document_date=datetime.date(2024, 1, 1),
            fileobj=io.BytesIO(pdf or sample_pdf_bytes()),
            content_type="application/pdf",
            original_filename="kontrakt.pdf",
        )


def make_job(company, *, kind="company_export", created_by=None, **values):
    """A background job row of `company`, not queued (tests that run jobs start them through the views)."""
    from hrportal.jobs.models import Job

    return Job.unscoped.create(company=company, kind=kind, created_by=created_by, **values)


def make_finished_export(company, user):
    """A finished, downloadable company export (the zip holds one line, encrypted like a real one)."""
    import datetime
    import io

    from django.utils import timezone

    from hrportal.documents import storage
    from hrportal.jobs.exports import aad_for

    job = make_job(company, created_by=user, status="done")
    name, _sha, size = storage.store_encrypted(company.pk, io.BytesIO(b"zip"), aad_for(job))
    job.file_name, job.file_size = name, size
    job.expires_at = timezone.now() + datetime.timedelta(days=1)
    job.save()
    return job
