"""Fixtures shared by the suite: two tenants (`company`, `other_company`) and logged-in clients."""

import contextlib

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client
from django.utils import translation

from hrportal.accounts import sms
from tests.factories import DEMO_PASSWORD, CompanyFactory, MembershipFactory, UserFactory, add_totp_device


def pytest_configure(config):
    """Compile the .po catalogues first, so a bare `pytest` tests the Danish texts as `make test` does.

    Only the controlling process compiles (pytest-xdist workers carry `workerinput`), so no two processes
    write the same .mo file; unchanged catalogues are skipped.
    """
    if hasattr(config, "workerinput"):
        return
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "compile_translations.py"
    subprocess.run([sys.executable, str(script)], check=True, stdout=subprocess.DEVNULL)
    # Django may have read the catalogues while setting up (before this hook): read them again.
    import gettext

    from asgiref.local import Local
    from django.utils.translation import trans_real

    gettext._translations.clear()  # Python's own cache of parsed .mo files, keyed by path: stale too
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()


# The two origins of the test settings (config/settings/test.py): the test client's default "testserver" is
# the app host (portal, admin, signing); the public site answers on PUBLIC_HOST only.
PUBLIC_HOST = "public.testserver"
APP_HOST = "testserver"


def public_client(**kwargs) -> Client:
    """A test client on the public site's host."""
    return Client(HTTP_HOST=PUBLIC_HOST, **kwargs)


@pytest.fixture(name="public_client")
def public_client_fixture():
    return public_client()


@pytest.fixture(autouse=True)
def _clean_state():
    """Each test starts from empty caches and the default language.

    Every cache, the renditions' included: a rolled-back test's ids are reused by the next one (SQLite), so a
    rendition cached for image 3 in one test would name another file in the next.

    A request through the test client leaves its language active in the thread (the portal activates the
    user's saved language), and URL resolution under i18n_patterns follows the active language, so without
    the reset a test's outcome would depend on which test ran before it on the same worker.
    """
    for alias in django_settings.CACHES:
        caches[alias].clear()
    sms.outbox.clear()
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    sms.outbox.clear()
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def company(db):
    return CompanyFactory(name="Demo ApS")


@pytest.fixture
def other_company(db):
    return CompanyFactory(name="Anden Virksomhed ApS")


@pytest.fixture
def private_storage(settings, tmp_path):
    """Encrypted files go to the test's own temporary folder (test modules may make it autouse)."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return tmp_path / "private"


def make_admin(company):
    user = UserFactory()
    MembershipFactory(user=user, company=company)
    user.totp = add_totp_device(user)
    return user


@pytest.fixture
def admin_user(company):
    return make_admin(company)


@pytest.fixture
def other_admin(other_company):
    return make_admin(other_company)


@pytest.fixture
def staff_user(db):
    user = UserFactory(is_staff=True, email="staff@ansatte.dk")
    user.totp = add_totp_device(user)
    return user


_LAST_STEP: dict[str, int] = {}  # the last time step used per TOTP secret, within a test run


class _DeviceClock:
    """The clock the TOTP devices read (`hrportal.accounts.devices.time`): the real one (or freezegun's),
    plus an offset a test moves forward instead of sleeping.

    A device accepts each time step once, and only steps after the last it accepted, within one step of its
    clock. A test that needs a third code for one secret would have to wait up to 30 s for the clock to
    reach a new step; moving the devices' clock on by the steps it would have waited for is the same to the
    device (its codes are still computed by pyotp and verified for real) and costs nothing. The offset is
    back to 0 at the start of every test, so a code computed from the wall clock (`pyotp.TOTP.now()`, as
    the demo test does) stays valid in the next test.
    """

    offset = 0.0

    def time(self) -> float:
        import time

        return time.time() + self.offset


DEVICE_CLOCK = _DeviceClock()


@pytest.fixture(autouse=True)
def _device_clock(monkeypatch):
    from hrportal.accounts import devices

    DEVICE_CLOCK.offset = 0.0
    monkeypatch.setattr(devices, "time", DEVICE_CLOCK)
    yield
    DEVICE_CLOCK.offset = 0.0


def forget_codes(totp):
    """After a test resets a device's replay counter (`last_t`), earlier steps may be used again."""
    _LAST_STEP.pop(totp.secret, None)


def next_code(totp):
    """A code for a time step later than any used with this secret, within the device's tolerance (one step).

    The device accepts each step once and only steps after the last one it accepted, so codes must move
    forward: the device clock's current step, else the next one. When both are used, the device clock is
    moved on to the first unused step (see `_DeviceClock`), as if the test had waited for it.
    """
    current = int(DEVICE_CLOCK.time() // 30)
    last = _LAST_STEP.get(totp.secret, -1)
    if last >= current + 1:
        DEVICE_CLOCK.offset += (last + 1 - current) * 30
        current = int(DEVICE_CLOCK.time() // 30)
    step = max(current, last + 1)
    _LAST_STEP[totp.secret] = step
    return totp.at(step * 30)


def login_verified(client: Client, user, password=DEMO_PASSWORD) -> Client:
    """Log in through the real two-step flow: password, then a TOTP code computed by pyotp.

    On the app host, where logging in happens: a public-site client becomes an app client from here on.
    """
    client.defaults["HTTP_HOST"] = APP_HOST
    response = client.post("/portal/login/", {"username": user.email, "password": password})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/portal/login/verify/", {"code": next_code(user.totp)})
    assert response.status_code == 302, response.content[:2000]
    return client


def login_password_only(client: Client, user, password=DEMO_PASSWORD) -> Client:
    client.defaults["HTTP_HOST"] = APP_HOST
    response = client.post("/portal/login/", {"username": user.email, "password": password})
    assert response.status_code == 302
    return client


@pytest.fixture
def admin_client(admin_user):
    return login_verified(Client(), admin_user)


@pytest.fixture
def other_admin_client(other_admin):
    return login_verified(Client(), other_admin)


@pytest.fixture
def staff_client(staff_user):
    return login_verified(Client(), staff_user)


def job_worker(*, batch: bool, interval: float = 0, worker_id: str = "pytest"):
    """django-tasks-db's own worker loop for the "jobs" backend (what `manage.py db_worker` runs)."""
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="jobs",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_jobs() -> int:
    """Run the queued background jobs as `manage.py db_worker --backend jobs --batch` would; returns how many.

    The real worker loop, in this process and this test's database; only its signal handlers are left out
    (they belong to a worker process, not to pytest), and it must not close the test's database connection
    between tasks (a worker does that to drop stale connections).
    """
    from unittest import mock

    from hrportal.tenancy import no_company

    worker = job_worker(batch=True)
    # Like a worker process: no company and no harness, so the jobs meet row-level security as in production.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"), no_company():
        worker.run()
    return worker._run_tasks


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL every test connects as the application role, under row-level security (issue #13).

    The test databases were created and migrated by the owner; here the application role gets its grants and
    every later connection starts as that role (`-c role=...`). Teardown drops the databases as the owner.
    """
    from django.conf import settings
    from django.db import connections

    from hrportal.rowsecurity.roles import setup_roles

    switched = []
    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                setup_roles(cursor, app_role=settings.DATABASE_APP_ROLE, for_tests=True)
            connection.close()
            options = connection.settings_dict.setdefault("OPTIONS", {})
            switched.append((connection, options.get("options")))
            options["options"] = f"-c role={settings.DATABASE_APP_ROLE}"
    yield
    for connection, before in switched:
        connection.close()
        if before is None:
            connection.settings_dict["OPTIONS"].pop("options", None)
        else:
            connection.settings_dict["OPTIONS"]["options"] = before


@pytest.fixture(autouse=True)
def _tenancy_harness(request, monkeypatch):
    """The suite's fixtures and assertions see every company's rows (as the ORM's `unscoped` always did).

    The code under test does not: each request through the test client runs without a company until the
    portal middleware scopes it, so views, the public signing pages and the jobs they start meet the same
    row-level security as in production. Tests of that wall itself mark themselves `strict_rls`.
    """
    from django.core.handlers.base import BaseHandler

    from hrportal import tenancy

    if request.node.get_closest_marker("strict_rls"):
        yield
        return
    original = BaseHandler.get_response

    def get_response(self, http_request):
        with tenancy.no_company():
            return original(self, http_request)

    monkeypatch.setattr(BaseHandler, "get_response", get_response)
    with tenancy.suite_harness():
        yield


@contextlib.contextmanager
def as_database_owner(cursor):
    """PostgreSQL: the statements run as the test connection's login (the owner), as a DBA or an attacker
    holding the owner's rights would; the application role the suite runs as may not alter tables."""
    if cursor.db.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_user")
    (before,) = cursor.fetchone()
    cursor.execute("SET LOCAL ROLE NONE")
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('role', %s, true)", [before])
