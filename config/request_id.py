"""A request id on every log line, so an operator can follow one request from nginx to the app's logs.

nginx sends its `$request_id` as X-Request-ID (site/deploy/nginx.conf); without it (development, tests) the
app makes one. It is only an identifier: it names no visitor. The response carries it back
(X-Request-ID), so a user reporting an error can quote it.
"""

import contextvars
import logging
import re
import uuid

_current = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _VALID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response.headers.setdefault("X-Request-ID", request_id)
        return response

    def process_exception(self, request, exception):
        """Keeps the view's exception for the error e-mail (Django may log the 500 without it)."""
        request.failed_with = (type(exception), exception, exception.__traceback__)
        return None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (used by the log format)."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True
