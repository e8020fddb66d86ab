"""Wagtail admin views for newsletter issues: the send confirmation, the inspect view with the send state,
and the "Send…" item of the edit view's action menu. Sending itself is `issues.queue()`."""

import datetime

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import Button
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.views.snippets import InspectView

from cms_pages.newsletter import issues
from cms_pages.newsletter.models import NewsletterIssue

SEND_PERMISSION = "newsletter.send_newsletterissue"
URL_NAMESPACE = "wagtailsnippets_newsletter_newsletterissue"


def issue_url(view_name, issue):
    return reverse(f"{URL_NAMESPACE}:{view_name}", args=[quote(issue.pk)])


def can_send(user, issue) -> bool:
    return issue.is_draft and user.has_perm(SEND_PERMISSION)


class SendIssueView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: what will happen (how many confirmed subscribers, in which language); POST: queue the issue."""

    model = NewsletterIssue
    permission_required = "send"  # newsletter.send_newsletterissue
    template_name = "newsletter/admin/send_issue.html"
    page_title = _("Send newsletter issue")
    header_icon = "mail"
    index_url_name = None
    http_method_names = ["get", "post"]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(NewsletterIssue, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": NewsletterIssue._meta.verbose_name_plural},
            {"url": issue_url("inspect", self.object), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_language = issues.recipients_by_language()
        total = sum(by_language.values())
        try:
            issues.check_sendable(self.object, total)
            problem = None
        except issues.CannotSend as error:
            problem = str(error)
        context.update(
            {
                "issue": self.object,
                "total": total,
                "english_total": by_language.get("en", 0),
                "danish_total": total - by_language.get("en", 0),
                "english_falls_back": by_language.get("en", 0) and not self.object.has_language("en"),
                "problem": problem,
                "inspect_url": issue_url("inspect", self.object),
                "preview_url": issue_url("edit", self.object) if self.object.is_draft else None,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            total = issues.queue(self.object, request.user)
        except issues.CannotSend as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Sending has started (recipients: %(count)s). Reload this page to follow it.")
                % {"count": total},
            )
        return redirect(issue_url("inspect", self.object))


class IssueInspectView(InspectView):
    """The issue with its send state and progress, and the "Send…" button of a draft."""

    template_name = "newsletter/admin/issue_inspect.html"

    def get_edit_url(self):
        return super().get_edit_url() if self.object.is_draft else None  # a sent issue is read-only

    def get_delete_url(self):
        if self.object.status == NewsletterIssue.Status.SENDING:
            return None  # an issue being sent cannot be deleted
        return super().get_delete_url()

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if can_send(self.request.user, self.object):
            buttons.insert(
                0, Button(_("Send…"), url=issue_url("send", self.object), icon_name="mail", priority=5)
            )
        return buttons

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None:
            return "—"
        if isinstance(value, datetime.datetime):  # in local time (the template's |localize would show UTC)
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["issue"] = self.object
        context["send_url"] = (
            issue_url("send", self.object) if can_send(self.request.user, self.object) else None
        )
        return context


class SendMenuItem(ActionMenuItem):
    """The edit view's "Send…" action: leads to the confirmation page (what is saved is sent)."""

    name = "action-send-newsletter"
    label = _("Send…")
    icon_name = "mail"

    def is_shown(self, context):
        instance = context.get("instance")
        return (
            context["view"] == "edit"
            and instance is not None
            and can_send(context["request"].user, instance)
            and super().is_shown(context)
        )

    def get_url(self, parent_context):
        return issue_url("send", parent_context["instance"])
