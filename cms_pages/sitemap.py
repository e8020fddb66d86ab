"""sitemap.xml over every language: Wagtail's own sitemap only walks the default site's (Danish) tree."""

from collections import defaultdict

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page


class PublicSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key).values_list("path", flat=True)
        descendants = Page.objects.none()
        for path in roots:
            descendants |= Page.objects.filter(path__startswith=path)
        return descendants.live().public().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        """The URLs of one sitemap page, cached per content generation (a publish, move or edit makes a new
        one): they are the same for every visitor, and building them costs a query per page type."""
        from django.core.cache import cache

        from cms_pages.templatetags.site_tags import pages_generation

        generation = pages_generation()
        key = f"cms_pages:sitemap:{generation}:{protocol}:{domain}:{page}"
        cached = cache.get(key) if generation else None
        if cached is None:
            cached = (self._build_urls(page, protocol, domain), getattr(self, "latest_lastmod", None))
            if generation:
                cache.set(key, cached, 60 * 60)
        urls, latest_lastmod = cached
        if latest_lastmod is not None:
            self.latest_lastmod = latest_lastmod
        return urls

    def _build_urls(self, page, protocol, domain):
        """Each URL lists its published translations as hreflang alternates (plus x-default, the Danish one).

        Search engines then show a Danish searcher the Danish page and an English one the English page. The
        translations come from the items already loaded (every language's tree is in the sitemap), so the
        sitemap costs one query more (the locales), however many pages there are.
        """
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        urls, last_mods, by_key = [], set(), defaultdict(list)
        for item in self.paginator.page(page).object_list.iterator():
            for url in item.get_sitemap_urls(self.request):
                url["translation_key"] = item.translation_key
                by_key[item.translation_key].append((languages[item.locale_id], url["location"]))
                urls.append(url)
                last_mods.add(url.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        for url in urls:
            translations = sorted(set(by_key[url.pop("translation_key")]))
            if len(translations) < 2:
                continue
            url["alternates"] = [{"lang_code": code, "location": loc} for code, loc in translations]
            default = dict(translations).get(settings.LANGUAGE_CODE)
            if default:
                url["alternates"].append({"lang_code": "x-default", "location": default})
        return urls
