"""Tenancy is the only door (issue #13): `.unscoped` only where listed, cross_company() only for its callers.

The lists below are the review: adding a module to either needs a reason a reviewer agrees with.
"""

import re
from pathlib import Path

import pytest

from hrportal import tenancy
from hrportal.tenancy import ScopeError, cross_company

ROOT = Path(__file__).resolve().parents[2]

# Where `.unscoped` may appear, each with its reason. Any other use fails below: read through
# company_scope() and `objects`, or (spanning companies) through cross_company() in a listed module.
UNSCOPED_ALLOWED = {
    "hrportal/tenancy.py": "defines the manager (and names it as TenantModel's base manager)",
    "hrportal/employees/models.py": "Employee's own unscoped manager with its list-version bookkeeping",
    "hrportal/privacy/signals.py": "the restriction guard checks every new row, saved in whichever scope",
    "tests/": "fixtures and assertions see every company (the harness in tests/conftest.py)",
}
SCANNED = ("hrportal", "cms_pages", "config", "benchmarks", "scripts", "tests")
UNSCOPED = re.compile(r"\.unscoped\b|\bunscoped\s*=")


def allowed(path: str) -> bool:
    return any(
        path == entry or (entry.endswith("/") and path.startswith(entry)) for entry in UNSCOPED_ALLOWED
    )


def test_unscoped_appears_only_in_the_listed_modules():
    found = set()
    for top in SCANNED:
        for path in (ROOT / top).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue  # Django writes the managers into migrations
            if UNSCOPED.search(path.read_text(encoding="utf-8")) and not allowed(relative):
                found.add(relative)
    assert not found, f"use company_scope() or cross_company() instead of .unscoped in: {sorted(found)}"


def test_the_allow_list_has_no_stale_entries():
    for entry in UNSCOPED_ALLOWED:
        files = [ROOT / entry] if not entry.endswith("/") else list((ROOT / entry).rglob("*.py"))
        assert any(UNSCOPED.search(f.read_text(encoding="utf-8")) for f in files), entry


def test_cross_company_is_refused_outside_its_listed_callers():
    with pytest.raises(ScopeError, match="not allowed in tests.hrportal.test_tenancy_doors"):
        cross_company(reason="a test trying the door")
    assert __name__ not in tenancy.CROSS_COMPANY_CALLERS


def test_cross_company_needs_a_reason_even_in_a_listed_caller():
    namespace = {"__name__": "hrportal.documents.signing.lookup", "cross_company": cross_company}
    exec("def door(reason):\n    return cross_company(reason=reason)", namespace)  # noqa: S102
    with pytest.raises(ScopeError, match="needs a reason"):
        namespace["door"]("")
    assert namespace["door"]("a listed caller with a reason").caller == "hrportal.documents.signing.lookup"


def test_the_test_harness_is_refused_outside_the_suites_conftest():
    with pytest.raises(ScopeError, match="not allowed"), tenancy.suite_harness():
        pass


def test_every_listed_cross_company_caller_exists_and_uses_the_door():
    for module, reason in tenancy.CROSS_COMPANY_CALLERS.items():
        path = ROOT / (module.replace(".", "/") + ".py")
        assert path.exists(), module
        assert re.search(r"cross_company\(\s*reason=", path.read_text(encoding="utf-8")), module
        assert reason


def test_the_cross_company_door_is_logged_with_its_reason(caplog):
    from hrportal.jobs.lookup import job_by_id

    with caplog.at_level("INFO", logger="hrportal.cross_company"), pytest.MonkeyPatch.context() as patch:
        patch.setattr("hrportal.jobs.lookup.Job.objects", _NoRows())
        job_by_id(1)
    assert "cross-company access by hrportal.jobs.lookup: the job runner has a job id" in caplog.text


class _NoRows:
    def select_related(self, *args):
        return self

    def filter(self, **kwargs):
        return self

    def first(self):
        return None


ROLE_SWITCH = re.compile(r"SET\s+(LOCAL\s+|SESSION\s+)?ROLE\b|set_config\(\s*'role'", re.IGNORECASE)


def test_only_the_scope_bookkeeping_switches_database_roles():
    """The app role may become ansatte_cross_company (the door needs it); only rowsecurity/session.py does."""
    found = {
        path.relative_to(ROOT).as_posix()
        for top in ("hrportal", "cms_pages", "config", "scripts")
        for path in (ROOT / top).rglob("*.py")
        if ROLE_SWITCH.search(path.read_text(encoding="utf-8"))
    }
    assert found == {"hrportal/rowsecurity/session.py"}, found
