"""Models of the public website, one module per concept: pages, snippets, site settings."""

from cms_pages.models.pages import ArticleIndexPage, ArticlePage, ArticlePageTag, HomePage, PolicyPage
from cms_pages.models.settings import OwnerDetails
from cms_pages.models.snippets import CustomerLogo, DataProcessor

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTag",
    "CustomerLogo",
    "DataProcessor",
    "HomePage",
    "OwnerDetails",
    "PolicyPage",
]
