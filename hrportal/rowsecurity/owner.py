"""Borrow the default connection with the owner's credentials (DATABASE_OWNER_URL), for migrations.

The running application never holds the owner's credentials in its connection; `migrate` and
`setup_database_roles` swap them in for the length of the command and put the application's back.
"""

import contextlib

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

CREDENTIALS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


@contextlib.contextmanager
def owner_connection():
    connection = connections[DEFAULT_DB_ALIAS]
    owner = settings.DATABASE_OWNER
    if not owner:
        yield connection
        return
    saved = {key: connection.settings_dict.get(key) for key in CREDENTIALS}
    connection.close()
    connection.settings_dict.update({key: owner.get(key, "") for key in CREDENTIALS})
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(saved)
