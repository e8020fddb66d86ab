"""Private pages are never cached by shared caches and run only our own scripts; the client IP is taken
from X-Real-IP only when a trusted proxy sent it."""

import pytest
from django.test import RequestFactory, override_settings

from config.requests import client_ip


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/portal/login/", "/verify/"])
def test_private_pages_send_no_store_and_a_strict_csp(client, path):
    response = client.get(path)
    assert "no-store" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp


@pytest.mark.django_db
def test_private_pages_load_no_consent_script(client):
    response = client.get("/portal/login/")
    assert "consent.js" not in response.content.decode()
    assert "data-consent-banner" not in response.content.decode()


def test_x_real_ip_is_ignored_from_untrusted_peers():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP="198.51.100.1")
    assert client_ip(request) == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_x_real_ip_is_believed_from_a_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.1")
    assert client_ip(request) == "198.51.100.1"
