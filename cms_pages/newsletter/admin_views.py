"""Wagtail admin views for newsletter issues (the send confirmation, the inspect view with the send state, the
"Send…" item of the edit view's action menu; sending itself is `issues.queue()`) and for subscribers (read
only, but for unsubscribing: see `SubscriberPermissionPolicy`)."""

import datetime

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import Button
from wagtail.log_actions import log
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.views.snippets import InspectView

from cms_pages.newsletter import issues, services
from cms_pages.newsletter.models import NewsletterIssue, Subscriber

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


# --- Subscribers ----------------------------------------------------------------------------------------

SUBSCRIBER_URL_NAMESPACE = "wagtailsnippets_newsletter_subscriber"


def subscriber_url(view_name, subscriber):
    return reverse(f"{SUBSCRIBER_URL_NAMESPACE}:{view_name}", args=[quote(subscriber.pk)])


class SubscriberPermissionPolicy(ModelPermissionPolicy):
    """Nobody, not even a superuser, adds or edits a subscriber in the admin: a subscription exists only
    through the subscriber's own double opt-in, which records the proof (consent time, text version). An
    editor may end one (unsubscribe, the "change" permission) or delete it; viewing and exporting stay."""

    NEVER = frozenset({"add", "change"})

    def _permission_action(self, action):
        if action in self.NEVER:
            return None
        return "change" if action == "unsubscribe" else action

    def user_has_permission(self, user, action):
        action = self._permission_action(action)
        return action is not None and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = {a for a in map(self._permission_action, actions) if a is not None}
        return super().users_with_any_permission(actions) if actions else get_user_model().objects.none()


def can_unsubscribe(user, subscriber) -> bool:
    policy = policy_registry.get_by_type(Subscriber)
    return subscriber.status != Subscriber.Status.UNSUBSCRIBED and policy.user_has_permission(
        user, "unsubscribe"
    )


class UnsubscribeSubscriberView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: confirm; POST: end the subscription (logged). The consent proof stays on the row."""

    model = Subscriber
    permission_required = "unsubscribe"
    template_name = "newsletter/admin/unsubscribe_subscriber.html"
    page_title = _("Unsubscribe")
    header_icon = "user"
    index_url_name = None
    http_method_names = ["get", "post"]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Subscriber, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "subscriber": self.object,
                "already": self.object.status == Subscriber.Status.UNSUBSCRIBED,
                "inspect_url": subscriber_url("inspect", self.object),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        if services.end_subscription(self.object):
            log(instance=self.object, action="newsletter.unsubscribe", user=request.user)
            messages.success(request, _("The address is unsubscribed and gets no more newsletters."))
        return redirect(reverse(self.index_url_name))


class SubscriberInspectView(InspectView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if can_unsubscribe(self.request.user, self.object):
            buttons.insert(
                0,
                Button(_("Unsubscribe"), url=subscriber_url("unsubscribe", self.object), icon_name="cross"),
            )
        return buttons
