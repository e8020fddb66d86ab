"""The encryption module: data keys, fields, fail-closed decryption, streams, shredding, rotation."""

import base64
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from hrportal.employees.models import Employee
from hrportal.encryption import datakeys, decrypt_stream, destroy_company_key, encrypt_stream
from hrportal.encryption.blind_index import company_blind_index
from hrportal.encryption.fields import Ciphertext, EncryptedLookupError, EncryptedWriteError
from hrportal.encryption.keyring import DecryptionError
from hrportal.encryption.models import DataKey
from hrportal.encryption.primitives import seal_with_master, unseal_with_master
from hrportal.tenancy import company_scope

TEST_KEY = "test1:" + "dGVzdC1tYXN0ZXIta2V5LTAwMDAwMDAwMDAwMDAwMDA="
NEW_KEY = "test2:" + base64.b64encode(b"n" * 32).decode()
WRONG_KEY = "test1:" + base64.b64encode(b"w" * 32).decode()


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    datakeys.clear_cache()
    yield
    datakeys.clear_cache()


def make_employee(company, **kwargs):
    values = {
        "name": "Karen Blixen",
        "cpr": "170485-1234",
        "email": "karen@example.dk",
        "start_date": datetime.date(2020, 1, 1),
        "salary": Decimal("42000.50"),
    }
    values.update(kwargs)
    with company_scope(company):
        employee = Employee(**values)
        employee.save()
    return employee


def raw_row(employee, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM employees_employee WHERE id = %s", [employee.pk])
        return cursor.fetchone()[0]


def reload(employee):
    with company_scope(employee.company):
        return Employee.objects.get(pk=employee.pk)


def test_round_trip_of_text_date_and_decimal(company):
    employee = make_employee(company)
    fresh = reload(employee)
    assert fresh.name == "Karen Blixen"
    assert fresh.salary == Decimal("42000.50")
    assert fresh.birth_date == datetime.date(1985, 4, 17)
    assert fresh.cpr == "170485-1234"


def test_columns_hold_tokens_with_the_key_id(company):
    employee = make_employee(company)
    token = raw_row(employee, "name")
    key = DataKey.objects.get(company=company)
    assert token.startswith(f"v1.{key.key_id}.")
    assert "Karen" not in token
    assert key.master_key_id == "test1"
    assert "Karen" not in key.wrapped_key


def test_one_data_key_per_company_different_keys_per_company(company, other_company):
    make_employee(company)
    make_employee(other_company)
    make_employee(company, cpr="010190-1111")
    assert DataKey.objects.filter(company=company).count() == 1
    assert DataKey.objects.get(company=company).key_id != DataKey.objects.get(company=other_company).key_id


def test_ciphertext_copied_from_another_company_fails(company, other_company):
    a = make_employee(company, name="Anna A")
    b = make_employee(other_company, name="Bo B")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE employees_employee SET name = %s WHERE id = %s", [raw_row(b, "name"), a.pk])
    fresh = reload(a)
    with pytest.raises(DecryptionError):
        fresh.name  # noqa: B018


def test_ciphertext_copied_to_another_row_or_column_fails(company):
    a = make_employee(company, name="Anna A", cpr="010101-1111")
    b = make_employee(company, name="Bo B", cpr="020202-2222")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE employees_employee SET name = %s WHERE id = %s", [raw_row(b, "name"), a.pk])
        cursor.execute("UPDATE employees_employee SET city = %s WHERE id = %s", [raw_row(b, "name"), b.pk])
    with pytest.raises(DecryptionError):
        reload(a).name  # noqa: B018
    with pytest.raises(DecryptionError):
        reload(b).city  # noqa: B018
    assert reload(b).name == "Bo B"


def test_tampered_or_garbage_values_fail_closed(company):
    employee = make_employee(company)
    token = raw_row(employee, "name")
    # Flip one bit in the middle of the sealed bytes (changing a trailing base64 character may only touch
    # padding bits and leave the bytes intact).
    prefix, _, encoded = token.rpartition(".")
    sealed = bytearray(base64.b64decode(encoded))
    sealed[len(sealed) // 2] ^= 0x01
    flipped = f"{prefix}.{base64.b64encode(bytes(sealed)).decode()}"
    for bad in (flipped, "Karen Blixen", "v1.nokey.AAAA", ""):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE employees_employee SET name = %s WHERE id = %s", [bad, employee.pk])
        with pytest.raises(DecryptionError):
            reload(employee).name  # noqa: B018


def test_wrong_master_key_is_a_clear_error(company):
    employee = make_employee(company)
    datakeys.clear_cache()
    with (
        override_settings(ENCRYPTION_MASTER_KEYS=WRONG_KEY),
        pytest.raises(DecryptionError, match="master key"),
    ):
        reload(employee).name  # noqa: B018
    # the key id is not configured at all
    with override_settings(ENCRYPTION_MASTER_KEYS=NEW_KEY), pytest.raises(DecryptionError, match="test1"):
        reload(employee).name  # noqa: B018
    assert reload(employee).name == "Karen Blixen"


def test_lookups_other_than_isnull_raise(company):
    make_employee(company)
    with company_scope(company):
        assert Employee.objects.filter(birth_date__isnull=False).count() == 1
        for lookup in ("name", "name__icontains", "name__startswith", "email__in", "salary__gt"):
            with pytest.raises(EncryptedLookupError):
                Employee.objects.filter(**{lookup: "x"}).count()


def test_plaintext_update_and_bulk_update_refused(company):
    employee = make_employee(company)
    with company_scope(company):
        with pytest.raises(EncryptedWriteError), transaction.atomic():
            Employee.objects.filter(pk=employee.pk).update(name="Plain Text")
        employee.name = "Plain Text"
        with pytest.raises(EncryptedWriteError), transaction.atomic():
            Employee.objects.bulk_update([employee], ["name"])
    assert "Plain" not in raw_row(employee, "name")


def test_repr_never_shows_values(company):
    make_employee(company)
    with company_scope(company):
        raw = Employee.objects.values_list("name", flat=True).get()
        assert isinstance(raw, Ciphertext) and repr(raw) == "<Ciphertext>"
        fresh = Employee.objects.get()
    assert "Karen" not in repr(fresh)
    assert repr(fresh.cpr) == "CprNumber('170485-XXXX')"


def test_crypto_shredding(company, other_company):
    a = make_employee(company)
    b = make_employee(other_company, name="Bo B")
    assert destroy_company_key(company) == 1
    with pytest.raises(DecryptionError, match="destroyed"):
        reload(a).name  # noqa: B018
    datakeys.clear_cache()  # also from a fresh process
    with pytest.raises(DecryptionError):
        reload(a).name  # noqa: B018
    assert reload(b).name == "Bo B"


def test_blind_index_per_company():
    assert company_blind_index("cpr", 1, "1704851234") == company_blind_index("cpr", 1, "1704851234")
    assert company_blind_index("cpr", 1, "1704851234") != company_blind_index("cpr", 2, "1704851234")
    assert len(company_blind_index("cpr", 1, "1704851234")) == 64


@pytest.mark.parametrize("size", [0, 10, 64 * 1024, 64 * 1024 * 3 + 5])
def test_streams_round_trip(company, size):
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    sealed = io.BytesIO()
    encrypt_stream(company, io.BytesIO(data), sealed, b"documents|42")
    assert data[:1000] not in sealed.getvalue() or size == 0
    out = io.BytesIO()
    decrypt_stream(company, io.BytesIO(sealed.getvalue()), out, b"documents|42")
    assert out.getvalue() == data


def test_streams_fail_on_wrong_context_truncation_and_other_company(company, other_company):
    data = b"contract " * 30000
    sealed = io.BytesIO()
    encrypt_stream(company, io.BytesIO(data), sealed, b"documents|1", chunk_size=4096)
    blob = sealed.getvalue()
    with pytest.raises(DecryptionError):
        decrypt_stream(company, io.BytesIO(blob), io.BytesIO(), b"documents|2")
    with pytest.raises(DecryptionError):
        decrypt_stream(other_company, io.BytesIO(blob), io.BytesIO(), b"documents|1")
    truncated = blob[: len(blob) - (4096 + 16 + 4) - 100]
    with pytest.raises(DecryptionError):
        decrypt_stream(company, io.BytesIO(truncated), io.BytesIO(), b"documents|1")
    # dropping the final chunk exactly at a boundary is caught by the "last chunk" flag
    first = 4 + 1 + DataKey.objects.get(company=company).key_id.__len__() + 7 + 4 + 4096 + 16
    with pytest.raises(DecryptionError):
        decrypt_stream(company, io.BytesIO(blob[:first]), io.BytesIO(), b"documents|1")


def test_master_helpers_still_work():
    token = seal_with_master(b"secret", b"ctx")
    assert unseal_with_master(token, b"ctx") == b"secret"


def test_rotation_of_master_key_is_idempotent_and_survives_removing_the_old_key(company, other_company):
    a = make_employee(company)
    b = make_employee(other_company, name="Bo B")
    out = io.StringIO()
    with override_settings(ENCRYPTION_MASTER_KEYS=f"{NEW_KEY},{TEST_KEY}"):
        call_command("rotate_encryption_keys", stdout=out)
        assert "2 re-wrapped" in out.getvalue()
        assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {"test2"}
        wrapped = list(DataKey.objects.order_by("id").values_list("wrapped_key", flat=True))
        out = io.StringIO()
        call_command("rotate_encryption_keys", stdout=out)
        assert "0 re-wrapped" in out.getvalue()
        assert list(DataKey.objects.order_by("id").values_list("wrapped_key", flat=True)) == wrapped
    datakeys.clear_cache()
    with override_settings(ENCRYPTION_MASTER_KEYS=NEW_KEY):  # old key removed
        assert reload(a).name == "Karen Blixen"
        assert reload(b).name == "Bo B"
        make_employee(company, name="New Person", cpr="111111-1111")


def test_rotation_also_reseals_authenticator_secrets(admin_user):
    secret = admin_user.totp.secret
    with override_settings(ENCRYPTION_MASTER_KEYS=f"{NEW_KEY},{TEST_KEY}"):
        call_command("rotate_encryption_keys", stdout=io.StringIO())
    with override_settings(ENCRYPTION_MASTER_KEYS=NEW_KEY):
        from hrportal.accounts.devices import TOTPDevice

        device = TOTPDevice.objects.get(user=admin_user)
        assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret


def test_company_data_key_rotation_reencrypts_in_batches(company, other_company):
    employees = [make_employee(company, name=f"Person {i}", cpr=f"0101{i:02d}-{i:04d}") for i in range(7)]
    other = make_employee(other_company, name="Bo B")
    old_key = DataKey.objects.get(company=company).key_id
    out = io.StringIO()
    call_command(
        "rotate_company_data_key", company.cvr, "--batch-size", "3", "--reason", "yearly", stdout=out
    )
    assert "employees.Employee: 7 rows re-encrypted" in out.getvalue()
    new_key = DataKey.objects.get(company=company, retired_at__isnull=True).key_id
    assert new_key != old_key
    for employee in employees:
        assert raw_row(employee, "name").startswith(f"v1.{new_key}.")
    assert reload(employees[3]).name == "Person 3"
    out = io.StringIO()
    call_command("rotate_company_data_key", str(company.pk), "--resume", stdout=out)
    assert "7 rows" not in out.getvalue() and "0 rows re-encrypted" in out.getvalue()
    assert reload(other).name == "Bo B"


def test_a_second_rotation_for_the_same_reason_makes_no_new_key(company):
    """Run twice (a retried deploy step, two operators on one incident): one new key, not two."""
    employee = make_employee(company, name="Ida Holm")
    first = io.StringIO()
    call_command("rotate_company_data_key", company.cvr, "--reason", "incident 2026-12-03", stdout=first)
    assert DataKey.objects.filter(company=company).count() == 2
    current = DataKey.objects.get(company=company, retired_at__isnull=True)
    assert current.rotation_reason == "incident 2026-12-03"
    again = io.StringIO()
    call_command("rotate_company_data_key", company.cvr, "--reason", " incident 2026-12-03 ", stdout=again)
    assert "already made for this reason" in again.getvalue() and "0 rows re-encrypted" in again.getvalue()
    assert DataKey.objects.filter(company=company).count() == 2
    assert DataKey.objects.get(company=company, retired_at__isnull=True).key_id == current.key_id
    assert raw_row(employee, "name").startswith(f"v1.{current.key_id}.")
    # A new reason is a new rotation.
    call_command("rotate_company_data_key", company.cvr, "--reason", "yearly 2027", stdout=io.StringIO())
    assert DataKey.objects.filter(company=company).count() == 3
    assert reload(employee).name == "Ida Holm"


def test_a_rotation_needs_a_reason(company):
    from django.core.management.base import CommandError

    make_employee(company, name="Ida Holm")
    with pytest.raises(CommandError, match="--reason"):
        call_command("rotate_company_data_key", company.cvr, stdout=io.StringIO())
    assert DataKey.objects.filter(company=company).count() == 1
