"""Messages and complaints from visitors, and the supervisory authority the privacy policy names."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import LockableMixin


class ContactMessage(models.Model):
    class Subject(models.TextChoices):
        QUESTION = "question", _("Question about Ansatte")
        COMPLAINT = "complaint", _("Complaint about my rights")
        OTHER = "other", _("Something else")

    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"))
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices, default=Subject.QUESTION)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    ip_hash = models.CharField(_("IP (truncated, hashed)"), max_length=64, blank=True)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_subject_display()}: {self.name}"


class SupervisoryAuthority(LockableMixin, models.Model):
    """Where a data subject may complain (GDPR art. 13(2)(d), 77); seeded with Datatilsynet."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=120)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=80)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("email"))
    website = models.URLField(_("website"))

    class Meta:
        verbose_name = _("supervisory authority")
        verbose_name_plural = _("supervisory authorities")

    def __str__(self):
        return self.name

    def display_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name
