"""StreamField blocks of the public site, in one module so pages share one vocabulary of content."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

# Policies are legal texts: headings, paragraphs, lists and links, nothing that could hide text from the diff.
POLICY_RICHTEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]
ARTICLE_RICHTEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms_pages/blocks/heading.html"
        form_classname = "title"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cms_pages/blocks/quote.html"


class PolicyBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=POLICY_RICHTEXT_FEATURES, label=_("Text"))


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=ARTICLE_RICHTEXT_FEATURES, label=_("Text"))
    image = ImageBlock(label=_("Image"), template="cms_pages/blocks/image.html")
    quote = QuoteBlock()
    # Rendered as a plain link, never the provider's iframe or script: a third party (YouTube, X, ...)
    # must receive no request from our pages before the visitor chooses to go there (cookie consent).
    embed = EmbedBlock(
        label=_("Embedded link"),
        help_text=_("A link to a video or post, e.g. on YouTube"),
        template="cms_pages/blocks/embed.html",
    )
