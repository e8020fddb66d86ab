"""Pluggable SMS sending: console in development, in-memory in tests, an HTTP gateway in production."""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Messages captured by LocmemSMSBackend, like django.core.mail.outbox.
outbox: list[dict[str, str]] = []


class BaseSMSBackend:
    def send(self, to: str, message: str) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    def send(self, to, message):
        print(f"[SMS to {to}] {message}", flush=True)  # the console backend's purpose


class LocmemSMSBackend(BaseSMSBackend):
    def send(self, to, message):
        outbox.append({"to": to, "message": message})


class HTTPGatewaySMSBackend(BaseSMSBackend):
    """POSTs JSON {to, message} with a bearer token to SMS_GATEWAY_URL."""

    def send(self, to, message):
        if not settings.SMS_GATEWAY_URL:
            raise RuntimeError("SMS_GATEWAY_URL is not configured")
        body = json.dumps({"to": to, "message": message}).encode()
        request = urllib.request.Request(  # noqa: S310 - URL comes from settings, https expected
            settings.SMS_GATEWAY_URL,
            data=body,
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if response.status >= 300:
                raise RuntimeError(f"SMS gateway answered {response.status}")


def send_sms(to: str, message: str) -> None:
    import_string(settings.SMS_BACKEND)().send(to, message)
