"""Every setting's default is written once, in config/settings/base.py (or product.py, which it imports).

A `getattr(settings, "X", default)` in the code is a second default that drifts from base.py's (or is the
only one, so no operator finds the knob): the code reads `settings.X` and base.py says what X is and why.
"""

import ast
from pathlib import Path

from django.conf import global_settings

import config.settings.base as base_settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("cms_pages", "hrportal", "config")


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            # Migrations are generated (their settings.X are Django's and Wagtail's swappable models).
            if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
                yield path, ast.parse(path.read_text(), filename=str(path))


def _settings_names(tree) -> set[str]:
    """Names the module binds to django.conf.settings (`settings`, or an alias)."""
    names = {"settings"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.conf":
            names.update(alias.asname or alias.name for alias in node.names if alias.name == "settings")
    return names


def _is_settings(node, names) -> bool:
    return (isinstance(node, ast.Name) and node.id in names) or (
        isinstance(node, ast.Attribute) and node.attr == "settings"
    )


def _getattr_defaults(tree) -> list[ast.Call]:
    names = _settings_names(tree)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) >= 3
        and _is_settings(node.args[0], names)
    ]


def test_no_getattr_on_settings_with_a_default():
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}"
        for path, tree in _sources()
        for node in _getattr_defaults(tree)
    ]
    hint = "define the setting in config/settings/base.py or product.py and read settings.X:\n"
    assert not found, hint + "\n".join(found)


def test_every_setting_the_code_reads_has_a_default():
    """A `settings.X` that neither base.py nor Django defines works only where some environment sets X."""
    missing = []
    for path, tree in _sources():
        names = _settings_names(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Load)
                and node.attr.isupper()
                and _is_settings(node.value, names)
                and not hasattr(base_settings, node.attr)
                and not hasattr(global_settings, node.attr)
            ):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: settings.{node.attr}")
    assert not missing, "add these to config/settings/base.py or product.py:\n" + "\n".join(missing)


def test_the_scan_sees_a_getattr_default():
    """The rule's own check, so that it cannot pass by seeing nothing (aliases and django.conf.settings)."""
    source = (
        "import django.conf\n"
        "from django.conf import settings as conf\n"
        'a = getattr(conf, "A", 1)\n'
        'b = getattr(django.conf.settings, "B", 2)\n'
        'c = getattr(conf, "C")\n'  # no default: fails loudly when C is missing, which is fine
        'd = getattr(request, "D", 3)\n'
    )
    assert [node.lineno for node in _getattr_defaults(ast.parse(source))] == [3, 4]
