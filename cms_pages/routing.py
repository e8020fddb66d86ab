"""Wagtail's routing of a public page, remembered per content generation (issue #20).

Wagtail finds a page anew on every request: the site for the host, the active locale, the localized root,
then two queries per level of the page tree (the child by slug, then its specific row), and its view-
restriction checks (ours by tree path, Wagtail's over the ancestors and aliases): 7 to 10 queries before the
page's own work. All of that changes only when an editor publishes, unpublishes, moves, renames or deletes a
page, or edits a site or a view restriction, and each of those bumps the content generation
(cms_pages.templatetags.site_tags.pages_generation; cms_pages.signals). So this process remembers, per
generation, which page (type and id) and which sub-route a (host, language, path) leads to, and that it has no
view restriction; a request then loads just that page, fresh, in one query. Nothing a visitor sees comes from
the memo but the choice of page: its content, `live` flag included, is read on every request.

What is remembered is the same for every visitor (routing does not look at the user, the session or the
query string). Only GET and HEAD are served from it; a restricted page is never remembered, so it goes through
Wagtail's and our checks every time. Without a generation (the shared cache unreachable) nothing is
remembered. The memo is per process and bounded; a new generation empties it.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

MAX_ROUTES = 2000


@dataclass(frozen=True)
class _Route:
    site: Any
    model: type
    pk: int
    args: tuple
    kwargs: dict
    resolver_match: Any


_lock = threading.Lock()
_memo: dict[str, Any] = {"generation": None, "routes": OrderedDict()}


def _routes(generation: str) -> OrderedDict:
    with _lock:
        if _memo["generation"] != generation:
            _memo["generation"] = generation
            _memo["routes"] = OrderedDict()
        return _memo["routes"]


def forget_routes() -> None:
    with _lock:
        _memo["generation"] = None
        _memo["routes"] = OrderedDict()


def _no_view_restrictions():
    return PageViewRestriction.objects.none()


def _mark_unrestricted(page) -> None:
    """This request's page instance is known to have no view restriction (the memo holds only such pages):
    Wagtail's `check_view_restrictions` then iterates an empty queryset instead of two queries, and our
    `no_private_pages_on_the_public_site` skips its own. Set on the instance loaded for this request only."""
    page.get_view_restrictions = _no_view_restrictions
    page._known_public = True


def remember_route(request, path: str) -> None:
    from cms_pages.templatetags.site_tags import pages_generation

    if request.method not in ("GET", "HEAD") or hasattr(request, "_wagtail_route_for_request"):
        return
    generation = pages_generation()
    if generation is None:
        return
    routes = _routes(generation)
    key = (request.get_host(), translation.get_language(), path)
    with _lock:
        route = routes.get(key)
        if route is not None:
            routes.move_to_end(key)
    if route is not None:
        page = route.model.objects.filter(pk=route.pk).first()
        if page is not None and page.live:
            request._wagtail_site = route.site
            request._wagtail_route_for_request = RouteResult(page, route.args, route.kwargs)
            if route.resolver_match is not None:
                request.routable_resolver_match = route.resolver_match
            _mark_unrestricted(page)
            return
        with _lock:
            routes.pop(key, None)
    result = Page.route_for_request(request, path)  # Wagtail's own routing, kept on the request
    site = getattr(request, "_wagtail_site", None)
    if result is None or site is None:
        return
    page, args, kwargs = result
    if not page.live or page.get_view_restrictions().exists():
        return
    route = _Route(
        site,
        type(page),
        page.pk,
        tuple(args),
        dict(kwargs),
        getattr(request, "routable_resolver_match", None),
    )
    with _lock:
        routes[key] = route
        while len(routes) > MAX_ROUTES:
            routes.popitem(last=False)


class RememberedRoutesMiddleware:
    """Serves Wagtail's page view from the remembered route (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve:
            remember_route(request, view_kwargs.get("path", view_args[0] if view_args else ""))
        return None
