"""The policy page: legal texts whose every published version stays public, with its history and comparisons.

Why a page type of its own: a privacy policy or terms of service is evidence of what a customer agreed to on a
given day, so its published revisions are versions a visitor can read and compare (see cms_pages.versions).
"""

import copy
from datetime import datetime, time

from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from cms_pages import versions
from cms_pages.blocks import PolicyBodyBlock
from cms_pages.locales import in_language, locale_code


class PolicyPageForm(WagtailAdminPageForm):
    """Publishing a policy needs a fresh change summary; a future valid-from date schedules the release."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        if not self.is_bound and page.pk and page.live and not page.has_unpublished_changes:
            # "Material change" describes the version being written. Editing a published page starts the
            # next version, which is not material unless the editor says so: a later typo fix must not
            # ask every visitor for consent again because the box stayed ticked from the last version.
            self.initial["material_change"] = False

    def clean(self):
        cleaned = super().clean()
        if self.is_deferred_validation:  # saving a draft: nothing is released yet
            return cleaned
        page = self.instance
        summary = (cleaned.get("change_summary") or "").strip()
        if page.pk and page.live and page.live_revision_id:
            live = PolicyPage.objects.filter(pk=page.pk).values_list("change_summary", flat=True).first()
            if summary and summary == (live or "").strip():
                self.add_error(
                    "change_summary",
                    _("Describe what changed in this version; this summary belongs to the live version."),
                )
        valid_from = cleaned.get("valid_from")
        if valid_from and valid_from > timezone.localdate() and not cleaned.get("go_live_at"):
            cleaned["go_live_at"] = timezone.make_aware(datetime.combine(valid_from, time.min))
        return cleaned


class PolicyPage(RoutablePageMixin, Page):
    """The privacy policy, the cookie policy and "GDPR & Sikkerhed": one type, told apart by `kind`.

    Each published revision is a public version (see cms_pages.versions); the history, any old version and
    a comparison of two are routes under the page, `versioner/` in Danish and `versions/` in English.
    """

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Privacy policy")
        COOKIE = "cookie", _("Cookie policy")
        GDPR = "gdpr", _("GDPR & security")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(
        _("This version is valid from"),
        default=timezone.localdate,
        help_text=_("The date this version applies from. A future date schedules publishing for that day."),
    )
    change_summary = models.CharField(
        _("change summary"),
        max_length=255,
        help_text=_("What changed in this version, shown to visitors in the version history."),
    )
    material_change = models.BooleanField(
        _("material change"),
        default=False,
        help_text=_("A material change asks visitors for fresh consent."),
    )
    body = StreamField(PolicyBodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("valid_from"), FieldPanel("change_summary"), FieldPanel("material_change")],
            heading=_("This version"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    base_form_class = PolicyPageForm
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types: list[str] = []

    HISTORY_SEGMENT = {"da": "versioner", "en": "versions"}
    COMPARE_SEGMENT = {"da": "sammenlign", "en": "compare"}

    class Meta:
        verbose_name = _("policy page")

    @classmethod
    def current(cls, kind, locale=None):
        """The live policy of `kind` in `locale` (a Locale or language code; default: the active one)."""
        if locale is None:
            locale = Locale.get_active()
        elif isinstance(locale, str):
            locale = Locale.objects.filter(language_code=locale).first()
            if locale is None:
                return None
        return cls.objects.live().filter(kind=kind, locale=locale).order_by("path").first()

    @property
    def version_id(self) -> str:
        return f"{self.valid_from:%Y-%m-%d}.{self.live_revision_id}"

    def published_versions(self) -> list[versions.PublishedVersion]:
        return self._published_versions

    @cached_property
    def _published_versions(self):
        return versions.published_versions(self)

    def version_page(self, version: versions.PublishedVersion):
        """This page as it was in `version` (never saved; for rendering only).

        Only what the version templates show (title, body) comes from the revision. Wagtail's
        `with_content_json` would also load the latest revision, the content type and open comments on
        every call: three queries per version, six on a comparison, for nothing a visitor sees.
        """
        page = copy.copy(self)
        page.title = version.content.get("title", self.title)
        page.body = version.content.get("body", "[]")
        return page

    # --- URLs, in the page's own language ---------------------------------------------------------

    def language_code(self) -> str:
        return locale_code(self.locale_id)

    def resolve_subpage(self, path):
        """A history route only in the page's own language: `/da/.../versions/` is a 404, not a duplicate."""
        match = super().resolve_subpage(path)
        route_language = (match.url_name or "").rpartition("_")[2]
        if route_language in self.HISTORY_SEGMENT and route_language != self.language_code():
            raise Http404
        return match

    def get_cached_paths(self):
        """What a caching proxy must forget when this policy is published: the page, its history, and the two
        newest versions (the one that was current now says it is an earlier version)."""
        history, _compare = self._segments()
        # Called as the version goes live, before Wagtail logs its publication: the live revision is the new
        # version and the history's newest entry is the one it replaces.
        revisions = dict.fromkeys(
            [self.live_revision_id, *(row[0] for row in versions.version_summaries(self)[:2])]
        )
        # A publish shifts every page of the history by one row, but only the first page (`{history}/`) is
        # purged: the later pages (`?page=N`) hold older versions, are kept by a proxy only for
        # PUBLIC_PAGE_CACHE_SECONDS like every public page (cms_pages.caching), and are right again within it.
        return ["/", f"{history}/", *(f"{history}/{pk}/" for pk in list(revisions)[:2] if pk)]

    def _segments(self):
        language = self.language_code()
        return self.HISTORY_SEGMENT.get(language, "versioner"), self.COMPARE_SEGMENT.get(
            language, "sammenlign"
        )

    def history_url(self, request=None):
        return f"{self.get_url(request)}{self._segments()[0]}/"

    def version_url(self, revision_id, request=None):
        return f"{self.history_url(request)}{revision_id}/"

    def compare_url(self, old_id, new_id, request=None):
        return f"{self.history_url(request)}{self._segments()[1]}/{old_id}/{new_id}/"

    # --- Routes -------------------------------------------------------------------------------------

    def _version_or_404(self, revision_id):
        for version in self.published_versions():
            if version.revision_id == revision_id:
                return version
        raise Http404

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.kind == self.Kind.GDPR:
            from cms_pages.models.snippets import DataProcessor

            processors = in_language(
                DataProcessor.objects.filter(live=True),
                self.locale_id,
                sort_key=lambda p: (p.added_on, p.name),
            )
            today = timezone.localdate()
            context["processors"] = [p for p in processors if p.removed_on is None and p.added_on <= today]
            # Announced ahead of their start (the DPA's prior notice): listed with their date, not yet in use.
            context["planned_processors"] = [p for p in processors if p.added_on > today]
            context["former_processors"] = [p for p in processors if p.removed_on is not None]
        return context

    HISTORY_PAGE_SIZE = 20

    @path("versioner/", name="history_da")
    @path("versions/", name="history_en")
    def history(self, request):
        """One page of the history: a count and one LIMIT/OFFSET query of the rows shown (plus the next older
        version, which the last row compares against), so 500 versions cost what 3 do. A page number that is
        not a page is a 404, so no two URLs serve the same rows."""
        all_versions = versions.version_summaries(self)
        paginator = Paginator(all_versions, self.HISTORY_PAGE_SIZE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except InvalidPage as error:
            raise Http404 from error
        shown = []
        if paginator.count:
            shown = versions.summaries(all_versions[page_obj.start_index() - 1 : page_obj.end_index() + 1])
        rows = [
            {
                "version": version,
                "previous": previous,
                "url": self.version_url(version.revision_id, request),
                "compare_url": previous
                and self.compare_url(previous.revision_id, version.revision_id, request),
            }
            for version, previous in zip(shown, [*shown[1:], None], strict=True)
        ][: self.HISTORY_PAGE_SIZE]
        history_url = self.history_url(request)
        return self.render(
            request,
            template="cms_pages/policy_history.html",
            context_overrides={
                "versions": shown,
                "rows": rows,
                "page_obj": page_obj,
                "previous_page_url": page_obj.has_previous()
                and self._history_page_url(history_url, page_obj.previous_page_number()),
                "next_page_url": page_obj.has_next()
                and self._history_page_url(history_url, page_obj.next_page_number()),
                "compare_form_url": f"{history_url}{self._segments()[1]}/",
                "alternate_suffix": "history",
            },
        )

    @staticmethod
    def _history_page_url(history_url, number):
        """The first page is the history's own URL, the one a publish purges (see get_cached_paths)."""
        return history_url if number == 1 else f"{history_url}?page={number}"

    @path("versioner/<int:revision_id>/", name="version_da")
    @path("versions/<int:revision_id>/", name="version_en")
    def version(self, request, revision_id):
        version = self._version_or_404(revision_id)
        return self.render(
            request,
            template="cms_pages/policy_version.html",
            context_overrides={
                "version": version,
                "version_page": self.version_page(version),
                "is_live_version": revision_id == self.live_revision_id,
                "alternate_suffix": "history",
            },
        )

    @path("versioner/sammenlign/", name="compare_form_da")
    @path("versions/compare/", name="compare_form_en")
    def compare_form(self, request):
        """Target of the history's GET form; redirects to the canonical comparison URL."""
        try:
            old_id, new_id = int(request.GET["from"]), int(request.GET["to"])
        except (KeyError, ValueError):
            return redirect(self.history_url(request))
        return redirect(self.compare_url(old_id, new_id, request))

    DIFF_CACHE_KEY = "cms_pages:diff:v1:{old}:{new}"

    def _diff(self, old, new):
        """The readable diff of two versions and its word counts, built once per pair: a published revision
        never changes, and rendering both bodies and diffing them is most of a comparison's cost."""
        key = self.DIFF_CACHE_KEY.format(old=old.revision_id, new=new.revision_id)
        cached = cache.get(key)
        if cached is None:
            old_html = str(self.version_page(old).body)
            new_html = str(self.version_page(new).body)
            cached = (str(versions.diff_html(old_html, new_html)), *versions.diff_counts(old_html, new_html))
            cache.set(key, cached, 24 * 60 * 60)
        html, added, removed = cached
        # Built by versions.diff_html, which escapes every piece of text; the cache is the server's own.
        return mark_safe(html), added, removed  # noqa: S308

    @path("versioner/sammenlign/<int:old_id>/<int:new_id>/", name="compare_da")
    @path("versions/compare/<int:old_id>/<int:new_id>/", name="compare_en")
    def compare(self, request, old_id, new_id):
        old, new = self._version_or_404(old_id), self._version_or_404(new_id)
        if (old.published_at, old.revision_id) > (new.published_at, new.revision_id):
            return redirect(self.compare_url(new_id, old_id, request))
        diff, added, removed = self._diff(old, new)
        return self.render(
            request,
            template="cms_pages/policy_compare.html",
            context_overrides={
                "old": old,
                "new": new,
                "diff": diff,
                "words_added": added,
                "words_removed": removed,
                "alternate_suffix": "history",
            },
        )
