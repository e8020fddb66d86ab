"""A URLconf with one view that fails, to see what a visitor gets from an unexpected error."""

from django.urls import path


def boom(request):
    return 1 / 0


urlpatterns = [path("boom/", boom)]
