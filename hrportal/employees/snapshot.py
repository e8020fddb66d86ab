"""The per-company employee list snapshot: the name order without decrypting every name on every request.

Sorting or searching by name needs every name of the company in plaintext (the database holds AES-GCM
ciphertext only). Instead of decrypting all of them on every list request, the list builds a *snapshot*
once per change of the company's employees and keeps it in the Django cache:

* ``ids``: the employee ids in Danish alphabetical order of the folded name (ties: start date, id), with
  their ``starts``/``ends`` (day ordinals of the plain start/end date columns) for the active/ended filter and
  the start-date order, and ``by_start``, the positions in start-date order;
* ``names``: the folded names in the same order, **sealed** with the company's data key (AES-256-GCM, one
  value: ``datakeys.encrypt``); associated data binds it to the company and the snapshot version, so it
  cannot be replayed for another company or another version. A name search opens this one value (one
  AES-GCM call on ~25 bytes per employee) instead of 10,000 values, and filters in memory;
* ``departments``: the departments as written (not folded), in the same order, sealed the same way (with
  its own associated data): the list's department filter, its department order and the filter's choices
  open this one value instead of decrypting every row's department.

No decrypted personal data is cached: the sealed names are as protected as the database columns (same key,
same cipher; crypto-shredding the company's key makes them unreadable too), and the plaintext lives for the
request only. What the cache does reveal to whoever can read it (the process memory, or Redis when
REDIS_URL is set) is the alphabetical order of the ids and the plain start and end dates (already plain in
the database); the snapshot is not compressed before sealing, so its size reveals only the total length of
the names (as the column ciphertexts already do).

After a single save or delete (the portal's add, edit, end and erase), the cached snapshot is patched with
that one row once the transaction commits (`patch_on_commit`), so the next list request does not rebuild;
bulk writes (import, key rotation) leave it to the next request to rebuild.

Staleness: the snapshot is stored with the company's `EmployeeListVersion` token, which every write path
changes in the writing transaction (post_save/post_delete signals; the Employee querysets' ``bulk_create``
and ``update``). A request reads the token first and then the rows, so a snapshot is never newer-labelled
than its data; a token that differs from the cached one means rebuild. The token lives in the database, so
this holds across processes even with the per-process local-memory cache. Raw SQL writes bypass it (none
exist; do not add any). Key rotation re-saves the rows, which also changes the token.
"""

import bisect
import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save

from hrportal.encryption import datakeys
from hrportal.encryption.keyring import DecryptionError, KeyUnavailableError
from hrportal.tenancy import require_scope_of

# Fields whose change can move an employee in the list (or in or out of it).
LIST_FIELDS = {"name", "start_date", "end_date", "department", "company", "company_id"}
SEP = b"\n"


def cache_key(company_id: int) -> str:
    return f"employees:list-snapshot:v2:{int(company_id)}"


def _aad(company_id: int, version: str, part: str = "") -> bytes:
    suffix = f"|{part}" if part else ""  # the names keep their original context
    return f"employees:list-snapshot|company={int(company_id)}|version={version}{suffix}".encode()


def _seconds() -> int:
    return int(settings.EMPLOYEE_LIST_SNAPSHOT_SECONDS)


# --- invalidation ----------------------------------------------------------------------------------------


def forget_on_commit(company_ids) -> None:
    """Drop the cached snapshots once the change is committed (the token already makes them unusable;
    this only shortens how long a deleted employee's sealed name stays in a shared cache)."""
    keys = [cache_key(c) for c in company_ids]
    transaction.on_commit(lambda: cache.delete_many(keys))


def _saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    from hrportal.employees.models import bump_list_version

    if update_fields is not None and not (set(update_fields) & LIST_FIELDS):
        return
    bump_list_version([instance.company_id], change=Change.of(instance))


def _deleted(sender, instance, **kwargs):
    from hrportal.employees.models import bump_list_version

    bump_list_version([instance.company_id], change=Change(instance.pk, None, 0, 0, b""))


def connect_signals() -> None:
    from hrportal.employees.models import Employee

    post_save.connect(_saved, sender=Employee, dispatch_uid="employees.snapshot.saved")
    post_delete.connect(_deleted, sender=Employee, dispatch_uid="employees.snapshot.deleted")


# --- patching the snapshot after a single change ------------------------------------------------------


MAX_PATCHES_PER_TRANSACTION = 3
_patches_in_transaction: dict = {}  # (transaction, company id) -> patches queued


class Change:
    """One employee's place in the list after a save (`row` is None after a delete)."""

    __slots__ = ("pk", "row")

    def __init__(self, pk, folded, start, end, department=b""):
        self.pk = pk
        self.row = None if folded is None else (folded, start, pk, end, department)

    @classmethod
    def of(cls, employee):
        """The change a saved employee makes, or None when its values are not what the list holds (then
        the snapshot is simply rebuilt)."""
        from hrportal.employees.listing import fold

        start, end = employee.start_date, employee.end_date
        if not isinstance(employee.name, str) or not isinstance(start, datetime.date):
            return None
        if end is not None and not isinstance(end, datetime.date):
            return None
        department = employee.department
        if not isinstance(department, str):
            return None
        folded = fold(employee.name).replace(SEP, b" ")
        return cls(
            employee.pk, folded, start.toordinal(), end.toordinal() if end else 0, _dept_bytes(department)
        )


def claim_patch(company_id: int) -> bool:
    """May this change patch the snapshot? Patching costs a pass over the list (and its token is read under
    a row lock), so a transaction that changes many employees of a company (an erasure batch, a deletion)
    patches a few, then bumps the token plainly and leaves the rebuild to the next request.

    The transaction is known by its list of commit callbacks, which Django replaces at every commit and
    rollback (an id reused later can only make a patch be skipped, never applied wrongly).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return True  # autocommit: the change is its own transaction
    if len(_patches_in_transaction) > 1000:
        _patches_in_transaction.clear()
    key = (id(connection.run_on_commit), company_id)
    _patches_in_transaction[key] = _patches_in_transaction.get(key, 0) + 1
    if _patches_in_transaction[key] <= MAX_PATCHES_PER_TRANSACTION:
        return True
    if _patches_in_transaction[key] == MAX_PATCHES_PER_TRANSACTION + 1:
        forget_on_commit([company_id])  # the patched snapshot would be stale: drop it with the commit
    return False


def patch_on_commit(company_id: int, old: str, new: str, change: Change) -> None:
    """Once committed, turn the cached snapshot of version `old` into that of `new` by applying `change`.

    Each change carries its own callback, so a change in a savepoint that rolls back (its callback is
    discarded with it, as is its token update) never reaches the cache. Patches chain in commit order:
    old -> new of the first is the old of the next. Whatever does not match (no snapshot cached, another
    version cached, a bulk write in between) is left alone, and the next request rebuilds as before.
    """
    transaction.on_commit(lambda: _patch(company_id, old, new, change))


def _patch(company_id: int, old: str, new: str, change: Change) -> None:
    cached = cache.get(cache_key(company_id))
    if not cached or cached.get("company_id") != company_id or cached.get("version") != old:
        return
    snap = Snapshot(**cached)
    try:
        names = snap.names()
        departments = snap.department_bytes()
    except DecryptionError:
        cache.delete(cache_key(company_id))
        return
    rows = [
        (names[i], snap.starts[i], pk, snap.ends[i], departments[i])
        for i, pk in enumerate(snap.ids)
        if pk != change.pk
    ]
    if change.row is not None:
        bisect.insort(rows, change.row)
    cache.set(cache_key(company_id), _from_rows(company_id, new, rows).as_cached(), _seconds())


def current_version(company_id: int) -> str:
    from hrportal.employees.models import EmployeeListVersion

    token = EmployeeListVersion.objects.filter(company_id=company_id).values_list("token", flat=True).first()
    if token is not None:
        return token
    try:
        with transaction.atomic():
            return EmployeeListVersion.objects.create(
                company_id=company_id, token=EmployeeListVersion.new_token()
            ).token
    except IntegrityError:  # created by a concurrent request
        return EmployeeListVersion.objects.values_list("token", flat=True).get(company_id=company_id)


# --- the snapshot ----------------------------------------------------------------------------------------


class Snapshot:
    """One company's list order. `names()` opens the sealed folded names (for a search)."""

    __slots__ = (
        "company_id",
        "version",
        "ids",
        "starts",
        "ends",
        "by_start",
        "sealed_names",
        "sealed_departments",
    )

    def __init__(self, company_id, version, ids, starts, ends, by_start, sealed_names, sealed_departments=""):
        self.company_id = company_id
        self.version = version
        self.ids = ids
        self.starts = starts
        self.ends = ends
        self.by_start = by_start
        self.sealed_names = sealed_names
        self.sealed_departments = sealed_departments

    def as_cached(self) -> dict:
        return {s: getattr(self, s) for s in self.__slots__}

    def names(self) -> list[bytes]:
        """The folded names in `ids` order (plaintext: keep for the request only)."""
        if not self.ids:
            return []
        names = datakeys.decrypt(
            self.company_id, self.sealed_names, _aad(self.company_id, self.version)
        ).split(SEP)
        if len(names) != len(self.ids):
            raise DecryptionError("Employee list snapshot does not match its ids")
        return names

    def department_bytes(self) -> list[bytes]:
        """The departments (UTF-8, as written) in `ids` order (plaintext: keep for the request only)."""
        if not self.ids:
            return []
        departments = datakeys.decrypt(
            self.company_id, self.sealed_departments, _aad(self.company_id, self.version, "departments")
        ).split(SEP)
        if len(departments) != len(self.ids):
            raise DecryptionError("Employee list snapshot does not match its ids")
        return departments


def _dept_bytes(department) -> bytes:
    return (department or "").replace("\n", " ").replace("\r", " ").strip().encode()


def department_key(department: str) -> bytes:
    """A department as the snapshot writes it (`department_bytes()`), to compare a filter without decoding."""
    return _dept_bytes(department)


def build(company_id: int, version: str) -> Snapshot:
    """Decrypt every name of the company once (one request per change), fold and sort."""
    from hrportal.employees import unreadable
    from hrportal.employees.listing import fold
    from hrportal.employees.models import Employee

    field = Employee._meta.get_field("name")
    prefix = field.aad(company_id, None) + b"|row="
    dept_field = Employee._meta.get_field("department")
    dept_prefix = dept_field.aad(company_id, None) + b"|row="
    open_ = datakeys.opener(company_id)
    rows = []
    require_scope_of(company_id)
    qs = Employee.objects.values_list("pk", "uuid", "name", "start_date", "end_date", "department")
    for pk, row_uuid, token, start, end, dept_token in qs.iterator(2000):
        try:
            folded = fold(field.from_bytes(open_(token, prefix + str(row_uuid).encode()))).replace(SEP, b" ")
        except KeyUnavailableError:
            raise
        except DecryptionError:  # this row alone: it sorts first, matches no search, shows as unreadable
            unreadable.alert(company_id, pk, "name")
            folded = b""
        department = b""
        if dept_token is not None:
            try:
                department = _dept_bytes(
                    dept_field.from_bytes(open_(dept_token, dept_prefix + str(row_uuid).encode()))
                )
            except KeyUnavailableError:
                raise
            except DecryptionError:
                unreadable.alert(company_id, pk, "department")
        rows.append((folded, start.toordinal(), pk, end.toordinal() if end else 0, department))
    rows.sort()
    return _from_rows(company_id, version, rows)


def _from_rows(company_id: int, version: str, rows) -> Snapshot:
    """The snapshot of sorted (folded name, start ordinal, id, end ordinal, department) rows."""
    ids = [r[2] for r in rows]
    starts = [r[1] for r in rows]
    ends = [r[3] for r in rows]
    by_start = sorted(range(len(rows)), key=lambda i: (starts[i], ids[i]))
    sealed = sealed_departments = ""
    if rows:
        key_id, aead = datakeys.key_for_encryption(company_id)  # one key look-up for both values
        sealed = datakeys.seal_with(aead, key_id, SEP.join(r[0] for r in rows), _aad(company_id, version))
        sealed_departments = datakeys.seal_with(
            aead, key_id, SEP.join(r[4] for r in rows), _aad(company_id, version, "departments")
        )
    return Snapshot(company_id, version, ids, starts, ends, by_start, sealed, sealed_departments)


def get(company_id: int) -> Snapshot:
    """The company's current snapshot: from the cache when its version is current, else rebuilt."""
    company_id = int(company_id)
    version = current_version(company_id)  # before the rows: a snapshot is never newer-labelled than its data
    cached = cache.get(cache_key(company_id))
    if cached and cached.get("company_id") == company_id and cached.get("version") == version:
        return Snapshot(**cached)
    snap = build(company_id, version)
    cache.set(cache_key(company_id), snap.as_cached(), _seconds())
    return snap


def positions(snap: Snapshot, status: str, by_start: bool, today: datetime.date) -> list[int]:
    """Positions (indexes into `snap.ids`) kept by the status filter, in name or start-date order."""
    order = snap.by_start if by_start else range(len(snap.ids))
    today_ord = today.toordinal()
    ends = snap.ends
    if status == "active":
        return [i for i in order if not ends[i] or ends[i] >= today_ord]
    if status == "ended":
        return [i for i in order if ends[i] and ends[i] < today_ord]
    return list(order)
