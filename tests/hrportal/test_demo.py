"""The demo logins printed by seed_demo work with a code computed from the printed secret."""

import re

import pyotp
import pytest
from django.core.management import call_command
from django.test import Client

from hrportal.companies.models import Company, Mandate


@pytest.mark.django_db
def test_demo_admin_logs_in_with_the_printed_secret(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    output = capsys.readouterr().out
    line = next(line for line in output.splitlines() if "admin of Demo ApS" in line)
    email = line.split()[0]
    secret = re.search(r"TOTP secret (\w+)", line).group(1)
    password = re.search(r"password for all: (\S+)\)", output).group(1)
    client = Client()
    client.post("/portal/login/", {"username": email, "password": password})
    client.post("/portal/login/verify/", {"code": pyotp.TOTP(secret).now()})
    assert "Demo ApS" in client.get("/portal/").content.decode()
    assert Mandate.objects.active().filter(company__name="Demo ApS").exists()
    assert Company.objects.filter(status="active").count() >= 2


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_outside_development(settings):
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError

    settings.DEBUG = False
    settings.DEMO_SEED_ALLOWED = False
    with pytest.raises(CommandError, match="--allow-production-demo"):
        call_command("seed_demo", verbosity=0)
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_seed_demo_runs_in_development_or_when_explicitly_allowed(
    settings, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    settings.DEMO_SEED_ALLOWED = False
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--allow-production-demo", verbosity=0)
    assert get_user_model().objects.filter(email="admin@demo-aps.dk").count() == 1
