"""Enumerate every URL pattern of the project with a sample path, for rule tests that must not miss a view."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

SAMPLES = {"int": "1", "str": "x", "slug": "x", "uuid": str(uuid.UUID(int=1)), "path": "x"}
# i18n_patterns(): routes behind the language prefix are walked as Danish, the default language.
LANGUAGE_SAMPLE = "da/"


@dataclass
class Route:
    name: str  # "namespace:name" or the dotted callback when unnamed
    path: str  # a sample path that resolves to this pattern
    kwargs: tuple[str, ...]


def _sample(pattern) -> str | None:
    if isinstance(pattern, LocalePrefixPattern):
        return LANGUAGE_SAMPLE
    if isinstance(pattern, RoutePattern):
        text = str(pattern)
        return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), text)
    if isinstance(pattern, RegexPattern):
        text = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)
        text = re.sub(r"\(\?:[^()]*\)\*", "", text)  # an optional repetition: none
        text = text.replace("\\d+", "1").replace(".*", "x").replace(".+", "x")
        text = re.sub(r"\[[^\]]*\][+*]", "x", text)
        text = re.sub(r"\(([^)]*)\)\??", lambda m: m.group(1).split("|")[0], text)
        text = text.replace("\\", "").replace("?", "")
        return text
    return None


def _kwargs(pattern) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(m.group(2) for m in re.finditer(r"<(?:(\w+):)?(\w+)>", str(pattern)))
    if isinstance(pattern, RegexPattern):
        return tuple(pattern.regex.groupindex)
    return ()


def walk(resolver=None, prefix="", namespace="", kwargs=()) -> list[Route]:
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        sample = _sample(entry.pattern)
        if sample is None:
            continue
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            routes += walk(entry, prefix + sample, ns, kwargs + _kwargs(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name or f"{entry.lookup_str}"
            if namespace and entry.name:
                name = f"{namespace}:{entry.name}"
            routes.append(
                Route(
                    name=name,
                    path="/" + (prefix + sample).lstrip("/"),
                    kwargs=kwargs + _kwargs(entry.pattern),
                )
            )
    return routes


def routes_under(*prefixes: str) -> list[Route]:
    return [route for route in walk() if route.path.startswith(prefixes)]
