"""Per-company data keys, stored wrapped (sealed) by a master key; master keys never touch the database."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataKey(models.Model):
    """One random 256-bit AES key of a company. `key_id` travels in every ciphertext made with it.

    A company has one current key (not retired, not destroyed); rotating its data key retires the old one,
    which stays readable until no value refers to it. Destroying a key empties `wrapped_key`: every value
    sealed with it is gone for good (crypto-shredding).
    """

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    key_id = models.CharField(max_length=40, unique=True)
    wrapped_key = models.TextField(blank=True)
    master_key_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    # Why an operator rotated to this key (`rotate_company_data_key --reason`); "" for a company's first key.
    rotation_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(retired_at__isnull=True, destroyed_at__isnull=True),
                name="encryption_one_current_datakey_per_company",
            )
        ]

    def __str__(self):
        return f"DataKey {self.key_id} (company {self.company_id})"

    @property
    def is_destroyed(self):
        return self.destroyed_at is not None
