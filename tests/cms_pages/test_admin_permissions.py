"""Regression tests for Wagtail's revision advisories: an editor without rights on a page sees none of its
revisions, history or comparisons in the admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import GroupPagePermission

from tests.cms_pages.factories import ArticleIndexPageFactory
from tests.conftest import login_verified
from tests.factories import UserFactory, add_totp_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited_editor_client(home, policy):
    """An editor who may edit the article section only, not the policies."""
    group = Group.objects.create(name="Article editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    articles = ArticleIndexPageFactory(parent=home)
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=articles, permission=Permission.objects.get(codename=codename)
        )
    user = UserFactory()
    user.groups.add(group)
    user.totp = add_totp_device(user)
    client = login_verified(Client(), user)
    assert client.get(f"/admin/pages/{articles.pk}/edit/").status_code == 200  # the login itself works
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/{page}/history/",
        "/admin/pages/{page}/revisions/compare/earliest...{draft}/",
        "/admin/pages/{page}/revisions/{draft}/view/",
        "/admin/pages/{page}/edit/",
    ],
)
def test_limited_editor_is_denied_on_pages_they_cannot_edit(limited_editor_client, policy, path):
    """Wagtail answers PermissionDenied in its admin with a redirect to the dashboard and an error message
    (its 403 equivalent for browser requests); the revision's content never appears."""
    response = limited_editor_client.get(path.format(page=policy.pk, draft=policy.draft_revision.pk))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
    assert "Dette udkast" not in response.content.decode()
