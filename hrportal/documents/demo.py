"""Demo content of the documents app: one advarsel in Demo ApS, signed by the company and the employee and
sealed, so a newcomer sees the whole result (the signature page, the PAdES seal, `/verify/`) at once.

It goes through the same template, request and completion code as a real signing; only the two parties'
codes are skipped (a seed has no authenticator and no inbox), so the evidence records the methods a real
signing of this kind would use. Idempotent: a Demo ApS with a completed signing gets nothing new.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from hrportal.companies.models import Company, Membership
from hrportal.documents import templating
from hrportal.documents.models import Signature, SignatureRequest, Signer
from hrportal.documents.signing import workflow
from hrportal.employees.models import Employee
from hrportal.tenancy import company_scope

DEMO_CVR = "12345674"


def seed():
    company = Company.objects.filter(cvr=DEMO_CVR).first()
    if company is None:
        return []
    with company_scope(company):
        if SignatureRequest.objects.filter(status=SignatureRequest.Status.COMPLETED).exists():
            return []
        # E-mail is encrypted: the database cannot filter on it, so the first active employee with one.
        employee = next(
            (e for e in Employee.objects.filter(end_date__isnull=True).order_by("pk")[:50] if e.email), None
        )
        membership = Membership.objects.filter(company=company, role="admin").select_related("user").first()
        if employee is None or membership is None:
            return []
        admin = membership.user
        document = _warning(employee, company, admin)
        request = workflow.send_for_signature(
            document,
            user=admin,
            employee_signs=True,
            company_signs=True,
            channel=Signer.Channel.EMAIL,
            base_url=settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
        )
        for signer in request.signers.order_by("role"):  # "company" before "employee"
            if signer.role == Signer.Role.COMPANY:
                name, user, method = admin.get_full_name(), admin, Signature.Method.TOTP
            else:
                name, user, method = employee.name, None, Signature.Method.EMAIL_CODE
            workflow._record_signature(signer, name=name, user=user, method=method, ip_hash="")
        request.refresh_from_db()
    return [
        "",
        f"Signed and sealed demo document in {company.name}: {document.title} for {employee.name}, "
        f"verification code {request.verification_code} "
        f"(check it on {settings.WAGTAILADMIN_BASE_URL}/verify/)",
    ]


def _warning(employee, company, admin):
    spec = templating.TEMPLATES["warning"]
    today = timezone.localdate()
    data = {
        **spec.initial(employee, company),
        "language": "da",
        "incident_date": today - datetime.timedelta(days=7),
        "incident": "Du mødte den aftalte dag to timer for sent uden at give besked, og varemodtagelsen "
        "blev derfor forsinket.",
        "expectation": "Du møder til den aftalte tid, og giver din leder besked inden mødetid, hvis du "
        "bliver forhindret.",
        "consequence": "Gentagelse kan føre til opsigelse eller bortvisning.",
    }
    form = spec.form_class(data=data)
    if not form.is_valid():
        raise ValueError(f"the demo warning does not validate: {form.errors.as_json()}")
    return templating.create_document(spec, form.cleaned_data, employee, company, user=admin)
