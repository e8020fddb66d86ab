"""The import boundaries of pyproject.toml ([tool.importlinter]) hold, and each one breaks when someone adds
the import it forbids: a boundary only a linter remembers is worth as much as its failing run."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # Through another package: the public site imports config.requests, which would import the portal.
        ("config/requests.py", "import hrportal.audit.log", "The public site never imports the HR portal"),
        ("cms_pages/contact/views.py", "import hrportal.employees.models", "The public site never imports"),
        ("hrportal/encryption/fields.py", "import hrportal.employees.forms", "Encryption, the audit log"),
        ("hrportal/tenancy.py", "import hrportal.companies.views", "Encryption, the audit log and tenancy"),
        ("hrportal/billing/views.py", "import hrportal.jobs.views", "No app's views import another app's"),
        ("hrportal/audit/chain.py", "import hrportal.audit.log", "No module takes part in an import cycle"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, line, contract):
    for name in ("cms_pages", "hrportal", "config", "scripts"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert lint_imports(tmp_path).returncode == 0  # the copy is as good as the tree
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    broken = [row for row in result.stdout.splitlines() if "BROKEN" in row]
    assert any(row.startswith(contract) for row in broken), result.stdout
