"""Employees of a company. Every personal field is encrypted with the company's data key.

Plain columns, on purpose: `start_date` and `end_date` (needed by the database to filter active/ended,
sort by start date and, later, the retention sweep; without a name or CPR they identify no one), the
CPR blind index, a random `uuid` (bound into each value's associated data, so a ciphertext copied to
another row fails), the random storage key of the optional photo (the image itself is encrypted in the
file storage, see hrportal/employees/photos.py) and timestamps. Searching and sorting by name is done in
memory on the decrypted names, through a per-company list snapshot that `EmployeeListVersion` invalidates
(see hrportal/employees/snapshot.py and docs/performance.md).
"""

import secrets
import uuid

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.employees.cpr import CprNumber, birth_date_from_cpr, cpr_index, format_cpr, mask_cpr
from hrportal.encryption.fields import EncryptedDateField, EncryptedDecimalField, EncryptedTextField
from hrportal.tenancy import TenantManager, TenantModel, TenantQuerySet, require_active_company


class EmployeeListVersion(models.Model):
    """A random token that changes, in the same transaction, with every change to a company's employees.

    The employee list snapshot (hrportal/employees/snapshot.py) is cached under this token, so a snapshot
    built before a change is never served after it, in any process. Holds no personal data: a company id
    and a random token. A missing row means "no snapshot yet": it is created (with a fresh token) on read,
    never on write, so a bump during a company's cascade delete cannot resurrect it.
    """

    company = models.OneToOneField(
        "companies.Company", on_delete=models.CASCADE, primary_key=True, related_name="+", editable=False
    )
    token = models.CharField(max_length=32, editable=False)

    class Meta:
        verbose_name = _("employee list version")
        verbose_name_plural = _("employee list versions")

    def __str__(self):
        return f"Employee list version of company #{self.company_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_hex(16)


def bump_list_version(company_ids, *, change=None) -> None:
    """Invalidate the list snapshot of these companies (called on every write path of Employee).

    `change` is the one row a single save or delete changed (see `snapshot.Change`): then the cached
    snapshot is patched with it once the transaction commits, instead of being rebuilt by the next request.
    The old token is read under a row lock, so no other writer's change can fall between it and the new one.
    """
    from hrportal.employees import snapshot

    ids = sorted({int(c) for c in company_ids if c is not None})
    for company_id in ids:
        new = EmployeeListVersion.new_token()
        if change is not None and snapshot.claim_patch(company_id):
            with transaction.atomic(savepoint=False):
                versions = EmployeeListVersion.objects.select_for_update().filter(company_id=company_id)
                old = versions.values_list("token", flat=True).first()
                versions.update(token=new)
            if old is not None:
                snapshot.patch_on_commit(company_id, old, new, change)
            continue
        EmployeeListVersion.objects.filter(company_id=company_id).update(token=new)
    if ids and change is None:
        snapshot.forget_on_commit(ids)


class EmployeeQuerySetMixin:
    """Bulk write paths that send no model signals also invalidate the list snapshot."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        bump_list_version(obj.company_id for obj in objs)
        return objs

    def update(self, **kwargs):
        companies = set(self.values_list("company_id", flat=True).distinct())
        rows = super().update(**kwargs)
        bump_list_version(companies)
        return rows

    update.alters_data = True
    bulk_create.alters_data = True


class EmployeeQuerySet(EmployeeQuerySetMixin, TenantQuerySet):
    pass


class UnscopedEmployeeQuerySet(EmployeeQuerySetMixin, models.QuerySet):
    pass


class EncryptedCprField(EncryptedTextField):
    """Encrypted CPR number; decrypts to a `CprNumber`, whose repr is masked."""

    def from_bytes(self, data: bytes):
        return CprNumber(data.decode("utf-8"))


# What the edit form shows: a save of any of these raises the version (a photo alone does not).
VERSIONED_FIELDS = {
    "name", "cpr", "address", "postal_code", "city", "email", "phone", "start_date", "end_date",
    "position", "department", "weekly_hours", "salary", "emergency_contact", "notes",
}  # fmt: skip


class Employee(TenantModel):
    encryption_row_field = "uuid"

    objects = TenantManager.from_queryset(EmployeeQuerySet)()
    unscoped = models.Manager.from_queryset(UnscopedEmployeeQuerySet)()  # see TenantModel.unscoped

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = EncryptedTextField(_("name"), max_length=200)
    address = EncryptedTextField(_("address"), max_length=200, blank=True)
    postal_code = EncryptedTextField(_("postal code"), max_length=10, blank=True)
    city = EncryptedTextField(_("city"), max_length=100, blank=True)
    email = EncryptedTextField(_("email"), max_length=254, blank=True)
    phone = EncryptedTextField(_("phone"), max_length=30, blank=True)
    cpr = EncryptedCprField(_("CPR number"), max_length=11)
    cpr_index = models.CharField(max_length=64, editable=False)
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True, editable=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    position = EncryptedTextField(_("position"), max_length=200, blank=True)
    department = EncryptedTextField(_("department"), max_length=200, blank=True)
    weekly_hours = EncryptedDecimalField(
        _("work hours per week"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    salary = EncryptedDecimalField(
        _("salary basis (DKK per month)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    emergency_contact = EncryptedTextField(_("emergency contact"), max_length=300, blank=True)
    notes = EncryptedTextField(_("notes"), max_length=5000, blank=True)
    # Random storage key (c<company>/<random>.enc) of the encrypted photo, "" when there is none.
    photo_storage_name = models.CharField(_("photo"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every save of the record's fields: the edit form carries the version it was based on, and
    # a save based on an older one gets the conflict page instead of overwriting (employees/views/record.py).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.UniqueConstraint(fields=["company", "cpr_index"], name="employees_unique_cpr_per_company")
        ]
        indexes = [models.Index(fields=["company", "start_date"], name="employees_company_start")]

    def __str__(self):  # no personal data: __str__ ends up in logs and error reports
        return f"Employee #{self.pk}"

    def save(self, *args, **kwargs):
        if self.company_id is None:
            self.company = require_active_company()
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or set(update_fields) & VERSIONED_FIELDS):
            self.version = (self.version or 0) + 1
            if update_fields is not None:
                update_fields = kwargs["update_fields"] = set(update_fields) | {"version"}
        if update_fields is None or "cpr" in update_fields:
            self.cpr = format_cpr(self.cpr)
            self.cpr_index = cpr_index(self.company_id, self.cpr)
            self.birth_date = birth_date_from_cpr(self.cpr)
            if update_fields is not None:
                kwargs["update_fields"] = set(update_fields) | {"cpr_index", "birth_date"}
        super().save(*args, **kwargs)

    def photo_aad(self) -> bytes:
        """Associated data binding the encrypted photo to this employee and company."""
        return f"employees.employee|company={self.company_id}|uuid={self.uuid}|file=photo".encode()

    @property
    def cpr_masked(self) -> str:
        return mask_cpr(self.cpr)

    @property
    def is_active(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()
