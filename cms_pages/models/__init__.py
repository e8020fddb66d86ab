"""Models of the public website, one module per concept: pages, snippets, article tags, site settings."""

from cms_pages.models.pages import ArticleIndexPage, ArticlePage, HomePage
from cms_pages.models.policy import PolicyPage
from cms_pages.models.settings import OwnerDetails
from cms_pages.models.snippets import CustomerLogo, DataProcessor
from cms_pages.models.tags import ArticleTag

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "ArticleTag",
    "CustomerLogo",
    "DataProcessor",
    "HomePage",
    "OwnerDetails",
    "PolicyPage",
]
