"""Demo content of the portal: two companies with administrators, a provider staff user, an editor,
and an active mandate from Demo ApS. Idempotent; prints the logins (demo only: the TOTP secrets are
fixed and public so a tester can use an authenticator app or `oathtool --totp -b SECRET`)."""

import base64

from django.contrib.auth import get_user_model

from hrportal.accounts.devices import BackupCodeDevice, TOTPDevice
from hrportal.companies import mandates
from hrportal.companies.models import Company, Mandate, Membership

DEMO_PASSWORD = "Demo-Ansatte-2026!"  # noqa: S105 - demo only, printed by seed_demo
DEMO_USERS = [
    # email, first, last, totp secret (base32), flags, company cvr
    ("admin@demo-aps.dk", "Mette", "Hansen", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", {}, "12345674"),
    ("admin@nordisk-byg.dk", "Lars", "Nielsen", "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA", {}, "87654311"),
    ("staff@ansatte.dk", "Peter", "Serop", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", {"is_staff": True}, None),
    (
        "editor@ansatte.dk",
        "Eva",
        "Redaktør",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        {"is_staff": False, "is_superuser": True},
        None,
    ),
]
DEMO_COMPANIES = {
    "12345674": ("Demo ApS", "Nyvej 9", "4180", "Dalmose"),
    "87654311": ("Nordisk Byg ApS", "Havnegade 12", "5000", "Odense C"),
}


def _company(cvr):
    name, address, postal_code, city = DEMO_COMPANIES[cvr]
    company, _ = Company.objects.get_or_create(
        cvr=cvr,
        defaults={
            "name": name,
            "address": address,
            "postal_code": postal_code,
            "city": city,
            "status": "active",
        },
    )
    return company


def _user(email, first, last, secret, flags):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, **flags
        )
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        device = TOTPDevice(user=user, name="Authenticator", confirmed=True)
        device.set_key(base64.b32decode(secret))
        device.save()
        BackupCodeDevice.objects.get_or_create(
            user=user, defaults={"name": "Backup codes", "confirmed": True}
        )
    return user


def seed():
    lines = ["", "Portal demo logins (password for all: " + DEMO_PASSWORD + ")"]
    for email, first, last, secret, flags, cvr in DEMO_USERS:
        user = _user(email, first, last, secret, flags)
        role = (
            "provider staff" if flags.get("is_staff") else "Wagtail editor (superuser)" if flags else "admin"
        )
        if cvr:
            company = _company(cvr)
            Membership.objects.get_or_create(user=user, company=company, defaults={"role": "admin"})
            role = f"admin of {company.name}"
        lines.append(f"  {email:<24} {role:<28} TOTP secret {secret}  (oathtool --totp -b {secret})")
    demo = Company.objects.get(cvr="12345674")
    if not Mandate.objects.active().filter(company=demo).exists():
        mandates.grant(demo, Membership.objects.filter(company=demo).first().user)
    lines.append("  Demo ApS has granted the provider an active mandate.")
    lines.append(f"  Demo ApS's link for employees' own rights requests: {_request_link(demo)}")
    return lines


def _request_link(company):
    """The company's link for employees' data-subject requests (made once; the admin can replace it)."""
    from hrportal.privacy import employee_requests
    from hrportal.tenancy import company_scope

    with company_scope(company):
        link = employee_requests.current_link() or employee_requests.regenerate_link(user=None)
        return employee_requests.link_url(link)
