"""Newsletter subscribers, with the proof of their consent (GDPR art. 7(1)): when, which text, from where;
the issues editors write and send, and one delivery row per issue and subscriber (so nobody gets an issue
twice)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import LockableMixin, PreviewableMixin, RevisionMixin

from cms_pages.newsletter.emails import PREVIEW_ADDRESS, newsletter_message


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("email"), unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="da")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    consent_text_version = models.CharField(_("consent text version"), max_length=32, blank=True)
    consented_at = models.DateTimeField(_("consent confirmed at"), null=True, blank=True)
    consent_ip_hash = models.CharField(_("IP at confirmation (truncated, hashed)"), max_length=64, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email


class NewsletterIssue(LockableMixin, RevisionMixin, PreviewableMixin, models.Model):
    """One newsletter, in Danish and (optionally) English. Editors change it only while it is a draft;
    sending (`issues.py`) moves it to "sending", then "sent", and keeps the counts here. The send state is
    written only by `issues.py`, with conditional updates, and a revision never brings it back."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    subject_da = models.CharField(_("subject (Danish)"), max_length=200)
    body_da = models.TextField(
        _("text (Danish)"), help_text=_("Plain text. The unsubscribe link is added below it.")
    )
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(
        _("text (English)"),
        blank=True,
        help_text=_("Leave both English fields empty to send the Danish text to everyone."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    queued_at = models.DateTimeField(_("sending started"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    recipients_total = models.PositiveIntegerField(_("recipients"), default=0, editable=False)
    sent_count = models.PositiveIntegerField(_("sent"), default=0, editable=False)
    failed_count = models.PositiveIntegerField(_("failed"), default=0, editable=False)
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="newsletter_issue",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("subject_da"),
        FieldPanel("body_da"),
        FieldPanel("subject_en"),
        FieldPanel("body_en"),
    ]
    SEND_STATE_FIELDS = ("status", "queued_at", "sent_at", "recipients_total", "sent_count", "failed_count")

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at", "-pk"]
        permissions = [("send_newsletterissue", _("Can send newsletter issues"))]

    def __str__(self):
        return self.subject_da

    def save(self, *args, **kwargs):
        """An editor's save of an existing issue writes the text, never the send state: the send flow owns
        it (and changes it with UPDATEs), so a form loaded before someone pressed Send cannot put a sending
        or sent issue back to draft."""
        if self.pk and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.SEND_STATE_FIELDS
            ]
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if bool(self.subject_en.strip()) != bool(self.body_en.strip()):
            missing = "body_en" if self.subject_en.strip() else "subject_en"
            raise ValidationError({missing: _("Fill in both English fields, or leave both empty.")})

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def has_language(self, language: str) -> bool:
        return bool(getattr(self, f"subject_{language}", "") and getattr(self, f"body_{language}", ""))

    def content_for(self, language: str) -> tuple[str, str]:
        """(subject, text) in the subscriber's language; Danish when the issue has no text in it."""
        if not self.has_language(language):
            language = settings.LANGUAGE_CODE
        return getattr(self, f"subject_{language}"), getattr(self, f"body_{language}")

    def with_content_json(self, content):
        # Reverting to a revision restores the text only: an issue that was sent stays sent, with its counts.
        obj = super().with_content_json(content)
        for name in self.SEND_STATE_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    # Preview: the email as a subscriber gets it, in each language, with an unsubscribe link that works for
    # nobody (it names no subscriber).
    @property
    def preview_modes(self):
        return list(settings.LANGUAGES)

    def get_preview_template(self, request, mode_name):
        return "newsletter/issue_preview.html"

    def preview_message(self, language):
        """The email a subscriber with this language gets; its unsubscribe link names nobody."""
        subscriber = Subscriber(email=PREVIEW_ADDRESS, language=language, status=Subscriber.Status.CONFIRMED)
        return newsletter_message(subscriber, *self.content_for(language))

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        language = mode_name if self.has_language(mode_name) else settings.LANGUAGE_CODE
        context.update({"message": self.preview_message(mode_name), "language": language})
        return context


class IssueDelivery(models.Model):
    """That an issue went (or is going, or failed to go) to a subscriber: claimed before the mail is sent, so
    a second run of the send task skips the subscriber. Deleted with the subscriber or the issue."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    issue = models.ForeignKey(
        NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("issue")
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscriber")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENDING)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_delivery_once_per_issue")
        ]

    def __str__(self):
        return f"{self.issue_id} → {self.subscriber_id}"
