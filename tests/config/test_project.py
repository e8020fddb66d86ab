"""Project hygiene: system checks and migrations are clean; root files are served."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("path", ["/robots.txt", "/.well-known/security.txt", "/favicon.ico"])
def test_root_files_are_served(client, path):
    from django.test import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        response = client.get(path)
    assert response.status_code == 200
