"""A Danish editor who lacks a Wagtail permission is told so in Danish (issue 14).

Wagtail's own Danish catalogue misses "You do not have permission to access the admin." (what a portal user
without `wagtailadmin.access_admin` sees when opening /admin/), so the top-level catalogue supplies it;
"Sorry, you do not have permission to access this area." (an admin user on a view they may not open) comes
from Wagtail's catalogue and must not be shadowed by ours.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.test import Client

from tests.conftest import login_verified
from tests.factories import UserFactory, add_totp_device

pytestmark = pytest.mark.django_db


def _danish_client(user):
    user.totp = add_totp_device(user)
    client = login_verified(Client(HTTP_ACCEPT_LANGUAGE="da"), user)
    return client


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_user_without_admin_access_is_told_in_danish():
    user = UserFactory()
    assert user.language == "da"
    client = _danish_client(user)
    response = client.get("/admin/", follow=True)
    text = response.content.decode()
    assert "Du har ikke adgang til administrationen." in text, _messages(response)
    assert "You do not have permission" not in text


def test_editor_without_permission_for_an_area_is_told_in_danish():
    group = Group.objects.create(name="Limited editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = UserFactory()
    user.groups.add(group)
    client = _danish_client(user)
    response = client.get("/admin/users/", follow=True)
    text = response.content.decode()
    assert "Beklager, du har ikke rettigheder til at tilgå dette område" in text, _messages(response)
    assert "Sorry, you do not have permission" not in text
