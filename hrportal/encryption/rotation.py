"""Key rotation jobs, as plain functions the management commands (and tests) call.

* `rewrap_all()` re-wraps every company data key (and the master-sealed authenticator secrets) under the
  current master key. Idempotent; after it, the old master key can be removed from the configuration.
* `rotate_company(company)` gives one company a new data key and re-encrypts its rows in batches with it.
  Idempotent too: a second run re-encrypts only values still sealed with a retired key.
"""

from django.apps import apps
from django.db import transaction

from hrportal.encryption import datakeys
from hrportal.encryption.fields import Ciphertext, encrypted_fields
from hrportal.encryption.keyring import current_master_key
from hrportal.encryption.models import DataKey
from hrportal.encryption.primitives import seal_with_master, token_key_id, unseal_with_master


def rewrap_all(progress=lambda message: None) -> dict:
    total = changed = destroyed = 0
    current = current_master_key().key_id
    for datakey in DataKey.objects.order_by("id").iterator():
        total += 1
        if datakey.destroyed_at is not None:
            destroyed += 1
            continue
        with transaction.atomic():
            locked = DataKey.objects.select_for_update().get(pk=datakey.pk)
            if datakeys.rewrap(locked):
                changed += 1
        if total % 100 == 0:
            progress(f"  {total} data keys checked, {changed} re-wrapped")
    devices_total, devices_changed = _reseal_authenticators(current)
    return {
        "data_keys": total,
        "rewrapped": changed,
        "destroyed": destroyed,
        "authenticators": devices_total,
        "authenticators_resealed": devices_changed,
    }


def _reseal_authenticators(current_id: str) -> tuple[int, int]:
    """TOTP secrets are sealed directly with the master key (accounts.devices): re-seal them too."""
    device_model = apps.get_model("accounts", "TOTPDevice")
    total = changed = 0
    for device in device_model.objects.order_by("pk").iterator():
        total += 1
        if not device.encrypted_key or token_key_id(device.encrypted_key) == current_id:
            continue
        aad = device._aad()
        device.encrypted_key = seal_with_master(unseal_with_master(device.encrypted_key, aad), aad)
        device.save(update_fields=["encrypted_key"])
        changed += 1
    return total, changed


def tenant_models_with_encrypted_fields():
    from hrportal.tenancy import TenantModel

    return [m for m in apps.get_models() if encrypted_fields(m) and issubclass(m, TenantModel)]


def rotate_company(
    company, *, batch_size=500, new_key=True, reason="", progress=lambda message: None
) -> dict:
    """Re-encrypt the company's rows under a fresh data key (or the current one with new_key=False).

    With a `reason` the current key already rotated for, no new key is made (`"new_key": False` in the
    result); leftovers are still re-encrypted.
    """
    from hrportal.tenancy import company_scope

    created = bool(new_key and datakeys.start_company_key_rotation(company.pk, reason=reason))
    key_id, _ = datakeys.key_for_encryption(company.pk)
    counts = {}
    with company_scope(company):
        for model in tenant_models_with_encrypted_fields():
            fields = encrypted_fields(model)
            names = [f.attname for f in fields]
            done = 0
            last_pk = 0
            while True:
                with transaction.atomic():
                    batch = list(
                        model.objects.select_for_update().filter(pk__gt=last_pk).order_by("pk")[:batch_size]
                    )
                    if not batch:
                        break
                    for obj in batch:
                        raw = {f.attname: obj.__dict__.get(f.attname) for f in fields}
                        if all(
                            v is None or (type(v) is Ciphertext and v.key_id == key_id) for v in raw.values()
                        ):
                            continue
                        for f in fields:  # decrypt now; save() seals under the current key
                            getattr(obj, f.attname)
                        obj.save(update_fields=names)
                        done += 1
                    last_pk = batch[-1].pk
                progress(f"  {model._meta.label}: {done} rows re-encrypted so far")
            counts[model._meta.label] = done
    retired = DataKey.objects.filter(
        company_id=company.pk, retired_at__isnull=False, destroyed_at__isnull=True
    )
    return {"key_id": key_id, "rows": counts, "retired_keys": retired.count(), "new_key": created}
