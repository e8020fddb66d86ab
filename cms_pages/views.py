"""The site search over articles and policies in the visitor's language: a GET form, cacheable, csrf-free."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from wagtail.models import Locale, Page

from cms_pages.models import ArticlePage, PolicyPage


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
