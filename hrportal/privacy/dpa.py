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
from hrportal.audit.models import Action, AuditEvent
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
    from hrportal.companies.models import Company

    current = content.current_agreement()
    if current is None:
        return 0
    fingerprint_processors = content.processors_fingerprint()
    base_url = base_url or settings.WAGTAILADMIN_BASE_URL
    sent = _announce_planned(base_url)
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
        sent += _tell_members(
            company,
            "hrportal/privacy/emails/dpa_changed",
            lambda kind=kind: (
                {
                    "agreement": content.agreement_in(current, translation.get_language()),
                    "processors_changed": kind == DPANotice.Kind.PROCESSORS,
                    "url": base_url.rstrip("/") + reverse("portal:dpa"),
                },
                _("Please accept the updated data processing agreement"),
            ),
        )
        record(Action.DPA_NOTICE_SENT, company=company, details={"kind": kind, "version": current.version})
    return sent


def _tell_members(company, template: str, build) -> int:
    """E-mail each member of `company` in their own language; `build()` runs in that language and returns
    the context (the company's name is added) and the subject. Returns the number sent."""
    from hrportal.companies.models import Membership

    sent = 0
    for membership in Membership.objects.filter(company=company).select_related("user"):
        user = membership.user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context, subject = build()
            mail.send(template, {"company": company.name, **context}, subject=subject, to=[user.email])
        sent += 1
    return sent


def _announce_planned(base_url: str) -> int:
    """Tell every active company's admins of each planned sub-processor once, when it is published: the
    notice period the agreement promises runs from then, and the portal's DPA page takes the objection."""
    from hrportal.companies.models import Company

    planned = content.planned_processors()
    if not planned:
        return 0
    sent = 0
    for company in Company.objects.filter(status=Company.Status.ACTIVE).order_by("pk"):
        for processor in planned:
            with company_scope(company):
                _notice, created = DPANotice.objects.get_or_create(
                    kind=DPANotice.Kind.PLANNED_PROCESSOR, fingerprint=str(processor.translation_key)
                )
            if not created:
                continue
            sent += _tell_members(
                company,
                "hrportal/privacy/emails/processor_planned",
                lambda processor=processor: (
                    {
                        "processor": processor.name,
                        "purpose": processor.purpose,
                        "country": processor.country,
                        "starts": processor.added_on,
                        "url": base_url.rstrip("/") + reverse("portal:dpa"),
                    },
                    _("A new sub-processor is planned: %(processor)s") % {"processor": processor.name},
                ),
            )
            record(
                Action.DPA_NOTICE_SENT,
                company=company,
                details={"kind": DPANotice.Kind.PLANNED_PROCESSOR, "processor": processor.name},
            )
    return sent


def planned_with_objections(company, language=None) -> list:
    """The planned sub-processors, each with this company's objection (the audit event) if it made one.

    An objection is a statement the company makes once; the audit log is where the portal keeps such
    statements (append-only, hash-chained, shown to the company), so it needs no table of its own."""
    planned = content.planned_processors(language)
    keys = [str(p.translation_key) for p in planned]
    objections = {
        event.target_id: event
        for event in AuditEvent.objects.filter(
            company_id=company.pk, action=Action.DPA_PROCESSOR_OBJECTED, target_id__in=keys
        )
    }
    for processor in planned:
        processor.objection = objections.get(str(processor.translation_key))
    return planned


class ObjectionError(Exception):
    pass


def object_to_processor(company, user, translation_key: str, reason: str, *, request=None):
    """Record the company's objection to a planned sub-processor and tell the provider's staff at once."""
    planned = {str(p.translation_key): p for p in content.planned_processors()}
    processor = planned.get(translation_key)
    if processor is None:
        raise ObjectionError(_("That sub-processor is not planned, or it has started already."))
    if AuditEvent.objects.filter(
        company_id=company.pk, action=Action.DPA_PROCESSOR_OBJECTED, target_id=translation_key
    ).exists():
        raise ObjectionError(_("Your company has already objected to this sub-processor."))
    event = record(
        Action.DPA_PROCESSOR_OBJECTED,
        request=request,
        actor=user,
        company=company,
        target_type="data_processor",
        target_id=translation_key,
        # The reason goes to the provider's staff by e-mail, not into the log: free text may name people.
        details={"processor": processor.name, "starts": processor.added_on.isoformat()},
    )
    with translation.override(settings.LANGUAGE_CODE):
        mail.send(
            "hrportal/privacy/emails/processor_objection",
            {
                "company": company.name,
                "cvr": company.cvr,
                "processor": processor.name,
                "starts": processor.added_on,
                "reason": reason,
                "by": user.get_full_name() or user.email,
                "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/",
            },
            subject=_("Objection to a planned sub-processor: %(processor)s (%(company)s)")
            % {"processor": processor.name, "company": company.name},
            to=[settings.CONTACT_EMAIL],
        )
    return event
