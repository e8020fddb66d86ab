"""One employee row whose ciphertext does not decrypt (tampered, corrupt, copied from another row) fails
closed on its own: lists and exports show it as "cannot be read, support is alerted" and carry on with
the other rows, and operators are told (an ERROR log line and an email to ADMINS, once per row and field
in each process). Nothing of the row is shown, guessed or re-encrypted.

A company key that cannot be used (`KeyUnavailableError`: destroyed, wrong or missing master key) or a
broken key configuration (`KeyringError`) is not a row's problem and still fails the whole page
(`employees.views.employee_view`: the key error page).
"""

import logging
import threading

from django.core.mail import mail_admins

from hrportal.encryption.keyring import DecryptionError, KeyUnavailableError

logger = logging.getLogger("hrportal.security")

# What the employee list shows of a row (the template reads nothing else).
LIST_FIELDS = ("name", "cpr", "position", "department")

_alerted: set[tuple] = set()
_lock = threading.Lock()


def alert(company_id, employee_id, field: str) -> None:
    key = (company_id, employee_id, field)
    with _lock:
        if key in _alerted:
            return
        _alerted.add(key)
    message = (
        f"Employee #{employee_id} of company #{company_id}: the encrypted field '{field}' cannot be "
        "decrypted (tampered with, corrupt or copied from another row). The row is shown as unreadable; "
        "restore it from a backup."
    )
    logger.error(message)
    mail_admins("Unreadable employee row", message, fail_silently=True)


def check(employee, fields) -> bool:
    """Decrypt `fields` of the employee now; False (and operators alerted) if one does not decrypt.

    Sets `employee.unreadable`, which templates and exports read instead of touching the fields.
    """
    for field in fields:
        try:
            getattr(employee, field)
        except KeyUnavailableError:
            raise
        except DecryptionError:
            alert(employee.company_id, employee.pk, field)
            employee.unreadable = True
            return False
    employee.unreadable = False
    return True


def forget_alerts() -> None:
    with _lock:
        _alerted.clear()
