"""sitemap.xml over every language: Wagtail's own sitemap only walks the default site's (Danish) tree."""

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class PublicSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key).values_list("path", flat=True)
        descendants = Page.objects.none()
        for path in roots:
            descendants |= Page.objects.filter(path__startswith=path)
        return descendants.live().public().order_by("path").defer_streamfields().specific()
