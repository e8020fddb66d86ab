"""Editors manage tracking scripts and the cookie declaration; consent records and scans are proof, so
the admin shows them read-only. The dashboard warns when the last scan found something to classify."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms_pages.consent.models import ConsentRecord, CookieDeclaration, CookieScan, TrackingScript


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Proof must not be edited: nobody adds, changes or deletes these rows through the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(ConsentRecord, ReadOnlyPermissionPolicy(ConsentRecord))
register_permission_policy(CookieScan, ReadOnlyPermissionPolicy(CookieScan))


class TrackingScriptViewSet(SnippetViewSet):
    model = TrackingScript
    icon = "code"
    list_display = ["name", "category", "src", "active"]
    list_filter = ["category", "active"]


class CookieDeclarationViewSet(SnippetViewSet):
    model = CookieDeclaration
    icon = "list-ul"
    list_display = ["name", "provider", "category", "party", "lifetime", "last_seen_at"]
    list_filter = ["category", "party"]
    search_fields = ["name", "provider"]


class ConsentRecordViewSet(SnippetViewSet):
    model = ConsentRecord
    icon = "tick-inverse"
    list_display = ["consent_id", "created_at", "categories", "policy_version", "language"]
    list_filter = ["language"]
    inspect_view_enabled = True
    list_export = ["consent_id", "created_at", "categories", "policy_version", "banner_version", "language"]


class CookieScanViewSet(SnippetViewSet):
    model = CookieScan
    icon = "search"
    list_display = ["started_at", "finished_at", "base_url"]
    inspect_view_enabled = True


class CookieViewSetGroup(SnippetViewSetGroup):
    items = (TrackingScriptViewSet, CookieDeclarationViewSet, ConsentRecordViewSet, CookieScanViewSet)
    menu_icon = "cog"
    menu_label = _("Cookies")
    menu_name = "cookies"


register_snippet(CookieViewSetGroup)


class CookieScanPanel(Component):
    name = "cookie_scan"
    template_name = "consent/admin/scan_panel.html"
    order = 110

    def __init__(self, scan, unclassified):
        self.scan = scan
        self.unclassified = unclassified

    def get_context_data(self, parent_context):
        return {
            "scan": self.scan,
            "unclassified": self.unclassified,
            "declaration_url": reverse("wagtailsnippets_consent_cookiedeclaration:list")
            + "?category=unclassified",
        }


@hooks.register("construct_homepage_panels")
def add_cookie_scan_panel(request, panels):
    if not request.user.has_perm("consent.change_cookiedeclaration"):
        return
    unclassified = CookieDeclaration.objects.filter(category="unclassified").count()
    scan = CookieScan.objects.first()
    if unclassified or (scan and (scan.has_differences or scan.failed)):
        panels.append(CookieScanPanel(scan, unclassified))
