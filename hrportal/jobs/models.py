"""A long job of a company (its export, its deletion, a retention sweep) with the progress the portal shows.

The job itself runs in the task worker (`manage.py db_worker --backend jobs`, see hrportal/jobs/tasks.py);
this row is what the request creates, what the worker updates batch by batch and what the portal polls.
It holds no personal data: a kind, counts, timestamps, the user who asked (a foreign key, not a name) and,
for an export, the random storage key of the encrypted result. A failure is recorded as a fixed message,
never the exception text (which could quote a value).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.tenancy import TenantModel


class Job(TenantModel):
    class Kind(models.TextChoices):
        COMPANY_EXPORT = "company_export", _("Export of the company's data")
        COMPANY_DELETION = "company_deletion", _("Deletion of the company profile")
        RETENTION_SWEEP = "retention_sweep", _("Retention sweep")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # The public reference in URLs that must work without a portal session (the deletion status page).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    step = models.CharField(max_length=32, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)  # counts only
    file_name = models.CharField(max_length=200, blank=True)  # random storage key of an export
    file_size = models.PositiveBigIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["company", "kind", "status"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)

    @property
    def download_available(self) -> bool:
        return (
            self.kind == self.Kind.COMPANY_EXPORT
            and self.status == self.Status.DONE
            and bool(self.file_name)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )
