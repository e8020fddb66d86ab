"""scripts/release.py: the steps of a release in order, migrate with the owner's URL, the rest without it."""

import pyotp
import pytest

from scripts import release


@pytest.fixture
def steps(monkeypatch):
    calls = []

    class Done:
        returncode = 0

    def run(args, cwd, env):
        calls.append((args[1:], env))
        return Done()

    monkeypatch.setattr(release.subprocess, "run", run)
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)  # an operator's shell has none
    monkeypatch.setenv("DATABASE_URL", "postgres://ansatte_app@127.0.0.1:5432/ansatte")
    monkeypatch.setenv("DATABASE_OWNER_URL", "postgres://owner@127.0.0.1:5432/ansatte")
    return calls


def test_each_release_compiles_collects_migrates_as_the_owner_and_checks_the_deploy(steps):
    release.main([])
    commands = [args for args, _env in steps]
    assert commands == [
        ["scripts/compile_translations.py"],
        ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        ["manage.py", "migrate", "--noinput"],
        ["manage.py", "check_row_security"],
        ["manage.py", "check", "--deploy", "--fail-level", "ERROR"],
    ]
    migrate_env, check_env = steps[2][1], steps[4][1]
    assert "DATABASE_OWNER_URL" not in steps[3][1]
    assert migrate_env["DATABASE_OWNER_URL"].startswith("postgres://owner@")
    assert "DATABASE_OWNER_URL" not in check_env
    assert check_env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_the_first_release_sets_the_site_and_enrols_the_first_editor(steps):
    release.main(["--first-editor", "ops@example.test"])
    shells = [args[-1] for args, env in steps if args[:2] == ["manage.py", "shell"]]
    assert "set_site" in shells[0]
    assert "create_first_editor('ops@example.test')" in shells[1]
    assert all("DATABASE_OWNER_URL" not in env for args, env in steps if args[:2] == ["manage.py", "shell"])


def test_a_failed_step_stops_the_release_and_is_named(steps, monkeypatch, capsys):
    class Failed:
        returncode = 3

    monkeypatch.setattr(release.subprocess, "run", lambda args, cwd, env: Failed())
    with pytest.raises(SystemExit, match="release FAILED at step: compile translations"):
        release.main([])


def test_postgresql_without_the_owner_url_refuses(steps, monkeypatch):
    monkeypatch.delenv("DATABASE_OWNER_URL")
    with pytest.raises(SystemExit, match="DATABASE_OWNER_URL"):
        release.main([])
    assert steps == []


@pytest.mark.django_db
def test_first_editor_has_an_authenticator_and_the_site_the_public_host(settings, capsys):
    from django.contrib.auth import get_user_model
    from wagtail.models import Site

    from hrportal.accounts.devices import BackupCodeDevice, TOTPDevice
    from scripts.first_release import create_first_editor, set_site

    settings.PUBLIC_ORIGIN = "https://ansatte.example:8443"
    set_site()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("ansatte.example", 8443)
    create_first_editor("ops@example.test")
    user = get_user_model().objects.get(email="ops@example.test")
    assert user.is_superuser and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    shown = capsys.readouterr().out
    assert "TOTP secret" in shown and "backup codes" in shown
    device = TOTPDevice.objects.get(user=user)
    secret = shown.split("TOTP secret")[1].split()[0]
    assert pyotp.TOTP(secret).now() and device.verify_token(pyotp.TOTP(secret).now())
    assert BackupCodeDevice.objects.get(user=user).remaining() > 0
    create_first_editor("ops@example.test")  # idempotent
    assert "left alone" in capsys.readouterr().out
