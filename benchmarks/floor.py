"""The floor of the public-page benchmark: Django answering "ok" on the product's own stack.

The same gunicorn configuration, production settings and environment as the product's app servers, with
no middleware and one view: what a request costs before the product does anything. Served as
`DJANGO_SETTINGS_MODULE=benchmarks.floor gunicorn config.wsgi` by benchmarks/public.py.
"""

from django.http import HttpResponse
from django.urls import path

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floor"
MIDDLEWARE: list[str] = []


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", ok)]
