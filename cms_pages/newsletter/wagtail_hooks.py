"""Newsletter in the Wagtail admin: issues (write, preview, send, follow the counts) and subscribers (see,
search, export, unsubscribe or delete; never add or edit: only the double opt-in makes a subscriber)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms_pages.newsletter.admin_views import (
    IssueInspectView,
    SendIssueView,
    SendMenuItem,
    SubscriberInspectView,
    SubscriberPermissionPolicy,
    UnsubscribeSubscriberView,
    can_unsubscribe,
    issue_url,
    subscriber_url,
)
from cms_pages.newsletter.models import NewsletterIssue, Subscriber

register_permission_policy(Subscriber, SubscriberPermissionPolicy(Subscriber), exact_class=True)


class NewsletterIssueViewSet(SnippetViewSet):
    model = NewsletterIssue
    icon = "mail"
    list_display = ["subject_da", "status", "sent_at", "recipients_total", "sent_count", "failed_count"]
    list_filter = ["status"]
    inspect_view_enabled = True
    inspect_view_class = IssueInspectView
    inspect_view_fields = [
        "subject_da",
        "body_da",
        "subject_en",
        "body_en",
        "status",
        "queued_at",
        "sent_at",
        "recipients_total",
        "sent_count",
        "failed_count",
    ]

    @property
    def send_view(self):
        return self.construct_view(SendIssueView, index_url_name=self.get_url_name("list"))

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("send/<str:pk>/", self.send_view, name="send")]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    list_display = ["email", "language", "status", "consented_at", "consent_text_version"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    list_export = [
        "email",
        "language",
        "status",
        "created_at",
        "consented_at",
        "consent_text_version",
        "unsubscribed_at",
    ]
    export_filename = "newsletter-subscribers"
    inspect_view_enabled = True
    inspect_view_class = SubscriberInspectView
    copy_view_enabled = False
    form_fields = ["email", "language", "status"]  # never shown: nobody may add or change (see the policy)

    @property
    def unsubscribe_view(self):
        return self.construct_view(UnsubscribeSubscriberView, index_url_name=self.get_url_name("list"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("unsubscribe/<str:pk>/", self.unsubscribe_view, name="unsubscribe"),
        ]


class NewsletterViewSetGroup(SnippetViewSetGroup):
    items = (NewsletterIssueViewSet, SubscriberViewSet)
    menu_icon = "mail"
    menu_label = _("Newsletter")
    menu_name = "newsletter"
    menu_order = 300


register_snippet(NewsletterViewSetGroup)


@hooks.register("register_snippet_listing_buttons")
def unsubscribe_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, Subscriber) and can_unsubscribe(user, snippet):
        yield ListingButton(_("Unsubscribe"), url=subscriber_url("unsubscribe", snippet), icon_name="cross")


@hooks.register("register_snippet_action_menu_item")
def send_menu_item(model):
    return SendMenuItem(order=90) if model is NewsletterIssue else None


def _issue_states(objects) -> dict:
    """{pk: status} of the newsletter issues among these objects, read from the database (a revision being
    reverted to may say "draft" of an issue that was sent)."""
    pks = [o.pk for o in objects if isinstance(o, NewsletterIssue)]
    return dict(NewsletterIssue.objects.filter(pk__in=pks).values_list("pk", "status")) if pks else {}


@hooks.register("before_edit_snippet")
def refuse_editing_a_sent_issue(request, instance):
    """Only a draft may be changed: a sent issue is the record of what went out."""
    if (
        _issue_states([instance]).get(instance.pk, NewsletterIssue.Status.DRAFT)
        != NewsletterIssue.Status.DRAFT
    ):
        messages.error(request, _("This issue is being sent or has been sent, and can no longer be changed."))
        return redirect(issue_url("inspect", instance))
    return None


@hooks.register("before_delete_snippet")
def refuse_deleting_an_issue_being_sent(request, instances):
    sending = [
        pk for pk, status in _issue_states(instances).items() if status == NewsletterIssue.Status.SENDING
    ]
    if sending:
        messages.error(request, _("An issue that is being sent cannot be deleted."))
        return redirect(issue_url("inspect", NewsletterIssue(pk=sending[0])))
    return None


@hooks.register("register_log_actions")
def register_newsletter_log_actions(actions):
    @actions.register_action("newsletter.send")
    class SendQueued(LogFormatter):
        label = _("Send newsletter issue")

        def format_message(self, log_entry):
            return _("Sending started (recipients: %(recipients)s)") % {
                "recipients": log_entry.data.get("recipients", 0)
            }

    actions.register_action("newsletter.unsubscribe", _("Unsubscribe"), _("Unsubscribed by an editor"))

    @actions.register_action("newsletter.sent")
    class Sent(LogFormatter):
        label = _("Newsletter issue sent")

        def format_message(self, log_entry):
            return _("Sent: %(sent)s, failed: %(failed)s") % {
                "sent": log_entry.data.get("sent", 0),
                "failed": log_entry.data.get("failed", 0),
            }
