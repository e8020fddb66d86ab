"""Public views outside the page tree: the site search (a cacheable GET form) and robots.txt."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from cms_pages.models import ArticlePage, PolicyPage
from config.origins import APP, PUBLIC, host_area, origin_for


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = None
    if query:
        pages = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .type(ArticlePage, PolicyPage)
            .specific()
        )
        paginator = Paginator(list(pages.search(query)), 10)
        try:
            results = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            results = paginator.page(1)
    return TemplateResponse(request, "cms_pages/search.html", {"query": query, "results": results})


@require_GET
def current_policy(request, kind):
    """A stable address for "the privacy policy now", on the public host: the portal, signing and
    verification pages link here (absolute, to the public origin) without looking the page up themselves."""
    if kind not in PolicyPage.Kind.values:
        raise Http404
    page = PolicyPage.current(kind)
    if page is None:
        raise Http404
    return redirect(page.get_url(request))


ROBOTS = """User-agent: *
Disallow:
Sitemap: {sitemap}
"""
# The app host (portal, admin, signing links) has nothing for a search engine.
APP_ROBOTS = """User-agent: *
Disallow: /
"""


@transaction.non_atomic_requests  # touches no database
@require_GET
@cache_control(public=True, max_age=60 * 60)
def robots_txt(request):
    """A view, not a static file: the sitemap protocol wants the sitemap's full URL, on the host asked."""
    if host_area(request) == APP:
        return HttpResponse(APP_ROBOTS, content_type="text/plain; charset=utf-8")
    sitemap = origin_for(PUBLIC) + reverse("sitemap")
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")
