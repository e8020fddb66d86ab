"""The public site's personal data past its retention period: deleted by the daily retention sweep.

The privacy policy promises that data is deleted once it is no longer needed for its purpose; these are the
periods (settings, in days), each stated in the personal-data registry (`hrportal.privacy.registry`):

- newsletter signups never confirmed: once the confirmation link has expired (NEWSLETTER_CONFIRM_MAX_AGE)
  there is nothing they can become, so they go after NEWSLETTER_PENDING_KEEP_DAYS;
- unsubscribed subscribers: kept NEWSLETTER_UNSUBSCRIBED_KEEP_DAYS as proof that mail stopped when asked
  (the limitation period for a claim), then deleted;
- cookie consent records: the choice is in force 12 months; the proof is kept CONSENT_PROOF_KEEP_DAYS from
  when it was given (the 12 months plus the 3-year limitation period);
- contact messages and complaints: only once handled, CONTACT_MESSAGE_KEEP_DAYS (questions) or
  CONTACT_COMPLAINT_KEEP_DAYS (complaints about one's rights, documentation of the answer) after receipt;
- login attempt logs (django-axes): LOGIN_LOG_KEEP_DAYS.

Counts are returned (and logged by the sweep), never contents.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def _before(days: int, now) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def purge_public_data(*, now=None) -> dict:
    from axes.models import AccessFailureLog, AccessLog

    from cms_pages.consent.models import ConsentRecord
    from cms_pages.contact.models import ContactMessage
    from cms_pages.newsletter.models import Subscriber

    now = now or timezone.now()
    counts = {}
    counts["newsletter_unconfirmed"] = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, created_at__lt=_before(settings.NEWSLETTER_PENDING_KEEP_DAYS, now)
    ).delete()[0]
    counts["newsletter_unsubscribed"] = Subscriber.objects.filter(
        status=Subscriber.Status.UNSUBSCRIBED,
        unsubscribed_at__lt=_before(settings.NEWSLETTER_UNSUBSCRIBED_KEEP_DAYS, now),
    ).delete()[0]
    counts["consent_records"] = ConsentRecord.objects.filter(
        created_at__lt=_before(settings.CONSENT_PROOF_KEEP_DAYS, now)
    ).delete()[0]
    handled = ContactMessage.objects.filter(handled=True)
    counts["contact_messages"] = (
        handled.exclude(subject=ContactMessage.Subject.COMPLAINT)
        .filter(created_at__lt=_before(settings.CONTACT_MESSAGE_KEEP_DAYS, now))
        .delete()[0]
    )
    counts["complaints"] = handled.filter(
        subject=ContactMessage.Subject.COMPLAINT,
        created_at__lt=_before(settings.CONTACT_COMPLAINT_KEEP_DAYS, now),
    ).delete()[0]
    cutoff = _before(settings.LOGIN_LOG_KEEP_DAYS, now)
    counts["login_logs"] = (
        AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
        + AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    )
    return counts
