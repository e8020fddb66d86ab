"""Newsletter subscribers, with the proof of their consent (GDPR art. 7(1)): when, which text, from where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
