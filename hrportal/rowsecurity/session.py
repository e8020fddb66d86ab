"""Tell the PostgreSQL session which company (or the cross-company role) the current scope is for.

The policies read `current_setting('ansatte.company_id', true)`; the cross-company policy applies only to
the role `ansatte_cross_company`. `hrportal.tenancy` calls `apply()` whenever its scope changes, and a new
connection gets the current scope from the `connection_created` signal.

When the scope changes inside a transaction (`connection.in_atomic_block`), both settings are set
transaction-local (`set_config(..., true)`): nothing outlives the transaction. Outside one they are set for
the session (`set_config(..., false)`) and put back when the scope ends; if putting them back fails, the
connection is closed rather than left with a company set.

Portal requests are in the first case: `companies.access.TenantScopeMiddleware` opens the request's
transaction and then the scope, so a request's company ends with its transaction whatever happens to the
reset. Jobs and commands that commit batch by batch are in the second: their company is a session setting
from the scope's enter to its exit. Therefore the worker must hold its server connection for the whole
session: direct connections or a pooler in session mode, never a transaction- or statement-pooling proxy
(PgBouncer `pool_mode = transaction`), which could hand the server connection, company set, to another
client between two transactions (docs/security.md).

The statement runs on the driver's connection, not through Django's cursor: it is bookkeeping of the scope,
not a query of the code under test, so `django_assert_max_num_queries` counts what it did before.
"""

import logging
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

CROSS_COMPANY_ROLE = "ansatte_cross_company"
COMPANY_SETTING = "ansatte.company_id"
NO_COMPANY = ("app", "")  # what a fresh connection is: the application role, no company

# The state the scope last asked for, kept here (not read back from hrportal.tenancy) so a connection made
# mid-scope gets it without this module importing tenancy, which imports it.
_wanted: ContextVar = ContextVar("row_security_state", default=NO_COMPANY)


def app_role(connection) -> str:
    return settings.DATABASE_APP_ROLE or connection.settings_dict.get("USER") or "postgres"


def _execute(connection, state, local: bool) -> None:
    kind, company_id = state
    role = CROSS_COMPANY_ROLE if kind == "cross" else app_role(connection)
    import psycopg

    try:
        connection.connection.execute(
            "SELECT set_config('role', %s, %s), set_config(%s, %s, %s)",
            [role, local, COMPANY_SETTING, company_id, local],
        )
    except psycopg.Error:
        if connection.in_atomic_block:
            # The transaction is already failing; its rollback undoes every setting made inside it.
            connection.needs_rollback = True
            return
        else:
            logger.warning("could not reset the row-security scope; closing the connection")
            connection.close()
        if state != NO_COMPANY:
            raise


def apply(before, after) -> None:
    """Move the default connection from scope state `before` to `after` (tuples of role kind, company)."""
    _wanted.set(after)
    if before == after:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or connection.connection is None:
        return  # not connected yet: on_connection_created sets the scope when it connects
    _execute(connection, after, local=connection.in_atomic_block)


def on_connection_created(sender, connection, **kwargs):
    if connection.vendor != "postgresql" or connection.alias != DEFAULT_DB_ALIAS:
        return
    state = _wanted.get()
    if state != NO_COMPANY:
        _execute(connection, state, local=False)
