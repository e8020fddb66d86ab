"""Encrypted model fields: values are sealed with the company's data key before they reach the database.

* The column holds ``v1.<key_id>.<base64(nonce || ciphertext+tag)>`` (a text column whatever the type).
* Associated data binds each value to its table, column, company and (when the model names one with
  ``encryption_row_field``, e.g. a UUID set before insert) its row, so a ciphertext copied to another
  row, column or company fails to decrypt.
* Values are decrypted lazily, on first attribute access (the row's company is only known then), and
  decryption errors raise `DecryptionError`: never ciphertext, never an empty value in its place.
* The database cannot compare ciphertexts, so every lookup except ``isnull`` raises
  `EncryptedLookupError`; search through a blind index or in memory instead.
* Writes go through ``Model.save()`` / ``bulk_create`` (``pre_save`` seals with the instance's company);
  ``QuerySet.update(field=value)`` and ``bulk_update`` with plaintext raise instead of storing plaintext.

Models using these fields must have ``company_id`` (TenantModel).
"""

import datetime
import decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from hrportal.encryption import datakeys
from hrportal.encryption.keyring import DecryptionError


class EncryptedLookupError(TypeError):
    """Encrypted columns cannot be filtered, compared or ordered by the database."""


class EncryptedWriteError(TypeError):
    """A plaintext value was about to be written to an encrypted column without sealing."""


class Ciphertext(str):
    """A value as read from the database, not decrypted yet. Its repr never shows the token."""

    __slots__ = ()

    def __repr__(self):
        return "<Ciphertext>"

    @property
    def key_id(self) -> str:
        return self.split(".", 2)[1] if self.count(".") >= 2 else ""


class Sealed(str):
    """A freshly sealed token from `pre_save`: the only non-None value allowed into an encrypted column."""

    __slots__ = ()

    def __repr__(self):
        return "<Sealed>"


class EncryptedDescriptor:
    """Data descriptor that decrypts the stored Ciphertext on first access, with the instance's context."""

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        data = instance.__dict__
        attname = self.field.attname
        if attname not in data:  # deferred
            instance.refresh_from_db(fields=[attname])
        value = data[attname]
        if type(value) is Ciphertext:
            value = self.field.decrypt_for(instance, value)
            data[attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedFieldMixin:
    descriptor_class = EncryptedDescriptor
    encrypted = True

    def __init__(self, *args, **kwargs):
        if kwargs.get("unique") or kwargs.get("db_index") or kwargs.get("primary_key"):
            raise ImproperlyConfigured("Encrypted fields cannot be unique or indexed: use a blind index")
        super().__init__(*args, **kwargs)

    def get_internal_type(self):
        return "TextField"

    def contribute_to_class(self, cls, name, private_only=False):
        # Plain Field behaviour: no get_next_by_* (dates) and the like, which would order by ciphertext.
        models.Field.contribute_to_class(self, cls, name, private_only=private_only)

    # --- serialisation of the Python value ------------------------------------------------------------
    def to_bytes(self, value) -> bytes:
        raise NotImplementedError

    def from_bytes(self, data: bytes):
        raise NotImplementedError

    # --- context -------------------------------------------------------------------------------------
    def aad(self, company_id, row_id) -> bytes:
        if company_id is None:
            raise DecryptionError("An encrypted value needs its row's company")
        prefix = self.__dict__.get("_aad_prefix")
        if prefix is None:
            prefix = self._aad_prefix = f"{self.model._meta.db_table}|{self.column}|company="
        if row_id is None:
            return f"{prefix}{company_id}".encode()
        return f"{prefix}{company_id}|row={row_id}".encode()

    def row_id_of(self, instance):
        row_field = getattr(self.model, "encryption_row_field", None)
        if not row_field:
            return None
        value = getattr(instance, row_field)
        if value is None:
            raise DecryptionError(f"{self.model.__name__}.{row_field} is needed to encrypt or decrypt")
        return str(value)

    def company_id_of(self, instance):
        if not hasattr(instance, "company_id"):
            raise ImproperlyConfigured(f"{self.model.__name__} has no company: encrypted fields need one")
        return instance.company_id

    # --- reading -------------------------------------------------------------------------------------
    def decrypt_raw(self, token, company_id, row_id):
        """Decrypt a token read through values()/values_list(); row_id as in `row_id_of`."""
        if token is None:
            return None
        data = datakeys.decrypt(
            company_id, token, self.aad(company_id, None if row_id is None else str(row_id))
        )
        return self.from_bytes(data)

    def decrypt_for(self, instance, token):
        return self.decrypt_raw(token, self.company_id_of(instance), self.row_id_of(instance))

    def from_db_value(self, value, expression, connection):
        return None if value is None else Ciphertext(value)

    # --- writing -------------------------------------------------------------------------------------
    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        value = self.to_python(value)
        company_id = self.company_id_of(model_instance)
        token = datakeys.encrypt(
            company_id, self.to_bytes(value), self.aad(company_id, self.row_id_of(model_instance))
        )
        return Sealed(token)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or hasattr(value, "as_sql"):
            return value
        if isinstance(value, Sealed):
            return str(value)
        raise EncryptedWriteError(
            f"{self.model.__name__}.{self.name} is encrypted: write it through save() or bulk_create(), "
            "not update()/bulk_update()"
        )

    def get_db_prep_save(self, value, connection):
        return self.get_db_prep_value(value, connection)

    # --- querying ------------------------------------------------------------------------------------
    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise EncryptedLookupError(
                f"{self.model.__name__}.{self.name} is encrypted: the database cannot filter on "
                f"'{lookup_name}'. Use a blind index or filter in memory."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        raise EncryptedLookupError(f"{self.model.__name__}.{self.name} is encrypted: no '{lookup_name}'")


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    def to_python(self, value):
        if isinstance(value, Ciphertext):
            raise DecryptionError("Ciphertext where plaintext was expected")
        return super().to_python(value)

    def to_bytes(self, value) -> bytes:
        return str(value).encode("utf-8")

    def from_bytes(self, data: bytes):
        return data.decode("utf-8")


class EncryptedDateField(EncryptedFieldMixin, models.DateField):
    def to_bytes(self, value) -> bytes:
        return value.isoformat().encode("ascii")

    def from_bytes(self, data: bytes):
        return datetime.date.fromisoformat(data.decode("ascii"))

    def pre_save(self, model_instance, add):  # no auto_now for encrypted dates
        return EncryptedFieldMixin.pre_save(self, model_instance, add)


class EncryptedDecimalField(EncryptedFieldMixin, models.DecimalField):
    def to_bytes(self, value) -> bytes:
        return str(value).encode("ascii")

    def from_bytes(self, data: bytes):
        try:
            return decimal.Decimal(data.decode("ascii"))
        except decimal.InvalidOperation as exc:
            raise DecryptionError("Decrypted value is not a decimal") from exc


def encrypted_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
