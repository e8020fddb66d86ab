"""The portal side of the data processing agreement: acceptance per version, and telling admins of changes.

A company must accept again when (a) a new version is in force, or (b) the sub-processor list has changed
since its last acceptance (the acceptance stores a fingerprint of the list). Admins are told by email
once per change (`DPANotice`) and see a notice in the portal (`context_processors.privacy_notices`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cms_pages.dpa import content
from config import mail
from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.privacy.models import DPAAcceptance, DPANotice
from hrportal.tenancy import company_scope


@dataclass
class DPAStatus:
    current: object | None
    acceptance: object | None  # latest acceptance of the current version
    processors_changed: bool

    @property
    def needs_acceptance(self) -> bool:
        return self.current is not None and (self.acceptance is None or self.processors_changed)


def latest_acceptance(company):
    with company_scope(company):
        return DPAAcceptance.objects.order_by("-accepted_at", "-pk").first()


def status(company, language=None) -> DPAStatus:
    current = content.current_agreement(language)
    if current is None:
        return DPAStatus(None, None, False)
    with company_scope(company):
        acceptance = (
            DPAAcceptance.objects.filter(version=current.version).order_by("-accepted_at", "-pk").first()
        )
    changed = acceptance is not None and acceptance.processors_sha256 != content.processors_fingerprint()
    return DPAStatus(current, acceptance, changed)


def accept(company, user, agreement, *, request=None) -> DPAAcceptance:
    acceptance = DPAAcceptance.objects.create(
        company_id=company.pk,
        agreement_id=agreement.pk,
        version=agreement.version,
        language=agreement.locale.language_code,
        text_sha256=content.agreement_text_hash(agreement),
        processors_sha256=content.processors_fingerprint(),
        accepted_by=user,
        accepted_by_name=user.get_full_name() or user.email,
        accepted_by_email=user.email,
    )
    record(
        Action.DPA_ACCEPTED,
        request=request,
        actor=user,
        company=company,
        target=acceptance,
        details={"version": agreement.version, "language": acceptance.language},
    )
    return acceptance


def notify_admins(base_url: str | None = None) -> int:
    """Email the admins of each active company that must (re-)accept, once per change. Returns emails sent."""
    from hrportal.companies.models import Company, Membership

    current = content.current_agreement()
    if current is None:
        return 0
    fingerprint_processors = content.processors_fingerprint()
    base_url = base_url or settings.WAGTAILADMIN_BASE_URL
    sent = 0
    for company in Company.objects.filter(status=Company.Status.ACTIVE).order_by("pk"):
        state = status(company)
        if not state.needs_acceptance:
            continue
        if state.processors_changed:
            kind, fingerprint = DPANotice.Kind.PROCESSORS, fingerprint_processors[:80]
        else:
            kind, fingerprint = DPANotice.Kind.NEW_VERSION, current.version
        with company_scope(company):
            _notice, created = DPANotice.objects.get_or_create(kind=kind, fingerprint=fingerprint)
        if not created:
            continue
        for membership in Membership.objects.filter(company=company).select_related("user"):
            user = membership.user
            with translation.override(user.language or settings.LANGUAGE_CODE):
                agreement = content.agreement_in(current, user.language or settings.LANGUAGE_CODE)
                mail.send(
                    "hrportal/privacy/emails/dpa_changed",
                    {
                        "company": company.name,
                        "agreement": agreement,
                        "processors_changed": kind == DPANotice.Kind.PROCESSORS,
                        "url": base_url.rstrip("/") + reverse("portal:dpa"),
                    },
                    subject=_("Please accept the updated data processing agreement"),
                    to=[user.email],
                )
                sent += 1
        record(Action.DPA_NOTICE_SENT, company=company, details={"kind": kind, "version": current.version})
    return sent
