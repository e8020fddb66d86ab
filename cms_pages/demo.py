"""Demo content of the public site, from the files under site/content/, idempotently.

The Danish pages are the source; English pages are wagtail-localize translations of them, made as a
translator would (cms_pages.translation). Each policy gets its versions published one after the other,
dated as if released on their dates, so the public history and diffs show real changes.
"""

import json
from datetime import date, datetime, time, timedelta
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    PageLogEntry,
    Revision,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.rich_text import RichText

from cms_pages.models import (
    ArticleIndexPage,
    ArticlePage,
    ArticleTag,
    CustomerLogo,
    DataProcessor,
    HomePage,
    OwnerDetails,
    PolicyPage,
)
from cms_pages.translation import translate

CONTENT_DIR = settings.BASE_DIR / "site" / "content"
POLICY_KINDS = ("privacy", "cookie", "gdpr")
REVIEWERS_GROUP = "Reviewers"
LEGAL_REVIEW_TASK = "Legal review"
POLICY_WORKFLOW = "Policy publishing"

HOME_DA = {
    "title": "Trygt HR for små og mellemstore virksomheder",
    "intro": "Ansatte samler medarbejderdata, kontrakter, advarsler og opsigelser ét sikkert sted.",
    "body": "<p>Krypterede data, tofaktor-login og maskerede CPR-numre er standard.</p>",
}
HOME_EN = {
    HOME_DA["title"]: "Secure HR for small and medium-sized companies",
    HOME_DA[
        "intro"
    ]: "Ansatte keeps employee data, contracts, warnings and terminations in one secure place.",
    "Krypterede data, tofaktor-login og maskerede CPR-numre er standard.": (
        "Encrypted data, two-factor login and masked CPR numbers come as standard."
    ),
    "forside": "home",
}


def load(name):
    return json.loads((CONTENT_DIR / name).read_text(encoding="utf-8"))


def html_text(text):
    """Plain text as rich-text HTML; wagtail-localize keeps these escapes in segments, so mappings do too."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def translate_now(instance, locale, strings):
    """Translate and publish at once, not on commit, so successive versions are translated in order."""
    translate(instance, locale, strings, publish=False)
    translated = instance.get_translation(locale)
    translated.get_latest_revision().publish()
    translated.refresh_from_db()
    return translated


def ensure_locales():
    da, _ = Locale.objects.get_or_create(language_code="da")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return da, en


def ensure_home():
    da, en = ensure_locales()
    root = Page.get_first_root_node()
    if root is None:  # a flushed database (browser tests) has lost the root Wagtail's migrations made
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=da))
    home = HomePage.objects.filter(locale=da).first()
    if home is None:
        home = HomePage(slug="forside", locale=da, **HOME_DA)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    if site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Ansatte"
        site.save()
    if (site.hostname, site.port) == ("localhost", 80):
        # Wagtail's placeholder: name the public host the site is served on (PUBLIC_ORIGIN; the admin and the
        # portal live on APP_ORIGIN, config/origins.py), so the sitemap's links work.
        # An editor's own choice (Settings > Sites) is left alone.
        base = urlsplit(settings.PUBLIC_ORIGIN)
        site.hostname = base.hostname or "localhost"
        site.port = base.port or (443 if base.scheme == "https" else 80)
        site.save()
    # Wagtail's initial "Welcome" page is replaced by our home page.
    Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()
    if not HomePage.objects.filter(locale=en).exists():
        translate_now(home, en, HOME_EN)
    return home


def ensure_owner_details(site):
    """Only fills empty settings: an editor's later changes survive a re-seed."""
    owner = OwnerDetails.for_site(site)
    if not owner.company_name:
        for field, value in load("owner.json").items():
            setattr(owner, field, value)
        owner.full_clean()
        owner.save()
    return owner


def placeholder_logo(name, background, foreground) -> ImageFile:
    """A generated placeholder (the customers' real logos are theirs, not ours to ship)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    image = PILImage.new("RGB", (240, 96), background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=26)
    left, top, right, bottom = draw.textbbox((0, 0), name, font=font)
    draw.text(((240 - (right - left)) / 2, (96 - (bottom - top)) / 2 - top), name, fill=foreground, font=font)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    slug = "".join(c for c in name.lower() if c.isalnum())
    return ImageFile(buffer, name=f"logo-{slug}.png")


def ensure_logos():
    image_model = get_image_model()
    # a flushed database (browser tests) has lost the root collection Wagtail's migrations made
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for position, customer in enumerate(load("customers.json")):
        if CustomerLogo.objects.filter(name=customer["name"]).exists():
            continue
        image = image_model(title=f"{customer['name']} logo", collection=collection)
        image.file = placeholder_logo(customer["name"], customer["background"], customer["foreground"])
        image.save()
        logo = CustomerLogo.objects.create(name=customer["name"], image=image, sort_order=position)
        logo.save_revision()


def ensure_processors(da, en):
    for item in load("processors.json"):
        processor = DataProcessor.objects.filter(locale=da, name=item["name"]).first()
        if processor is not None:
            continue
        processor = DataProcessor(
            locale=da,
            name=item["name"],
            purpose=item["purpose"]["da"],
            data_categories=item["data_categories"]["da"],
            country=item["country"]["da"],
            inside_eu_eea=item["inside_eu_eea"],
            transfer_basis=item["transfer_basis"]["da"],
            added_on=date.fromisoformat(item["added_on"]),
            removed_on=date.fromisoformat(item["removed_on"]) if item["removed_on"] else None,
        )
        processor.save()
        processor.save_revision().publish()
        strings = {
            item[f]["da"]: item[f]["en"] for f in ("purpose", "data_categories", "country", "transfer_basis")
        }
        translate_now(processor, en, strings)


def ensure_tag(name, english_name, locale, en):
    """A Danish tag and its English translation through wagtail-localize, each made once."""
    slug = slugify(name, allow_unicode=True)
    tag = ArticleTag.objects.filter(locale=locale, slug=slug).first()
    if tag is None:
        tag = ArticleTag.objects.create(name=name, slug=slug, locale=locale)
    if tag.get_translation_or_none(en) is None:
        translate(tag, en, {name: english_name, slug: slugify(english_name)})
    return tag


def ensure_articles(home, en):
    data = load("articles.json")
    index_data = data["index"]
    index = ArticleIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = ArticleIndexPage(
            title=index_data["title"]["da"], slug=index_data["slug"]["da"], intro=index_data["intro"]["da"]
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        translate_now(
            index, en, {index_data[f]["da"]: index_data[f]["en"] for f in ("title", "slug", "intro")}
        )
    for item in data["articles"]:
        if ArticlePage.objects.filter(locale=home.locale, slug=item["slug"]["da"]).exists():
            continue
        body = [("paragraph", RichText(f"<p>{html_text(p['da'])}</p>")) for p in item["paragraphs"]]
        strings = {html_text(p["da"]): html_text(p["en"]) for p in item["paragraphs"]}
        if item["quote"]:
            body.append(("quote", {"quote": item["quote"]["da"], "attribution": "Ansatte"}))
            strings[item["quote"]["da"]] = item["quote"]["en"]
        article = ArticlePage(
            title=item["title"]["da"],
            slug=item["slug"]["da"],
            intro=item["intro"]["da"],
            date=date.fromisoformat(item["date"]),
            body=body,
        )
        index.add_child(instance=article)
        article.tags.set(
            [
                ensure_tag(da_name, en_name, home.locale, en)
                for da_name, en_name in zip(item["tags"]["da"], item["tags"]["en"], strict=True)
            ]
        )
        article.save_revision().publish()
        strings.update({item[f]["da"]: item[f]["en"] for f in ("title", "slug", "intro")})
        translate_now(article, en, strings)
    return index


def policy_body(blocks, version_number, language):
    """StreamField data of one version of a policy: the blocks present in that version, in order."""
    body = []
    for block in blocks:
        if version_number not in block.get("in", [version_number]):
            continue
        if block["type"] == "heading":
            body.append(("heading", block[language]))
        elif block["type"] == "paragraph":
            body.append(("paragraph", RichText(f"<p>{html_text(block[language])}</p>")))
        elif block["type"] == "list":
            items = "".join(f"<li>{html_text(item)}</li>" for item in block[language])
            body.append(("paragraph", RichText(f"<ul>{items}</ul>")))
    return body


def policy_strings(data):
    """Every Danish segment of every version of a policy mapped to its English translation."""
    strings = {data[f]["da"]: data[f]["en"] for f in ("title", "slug", "search_description")}
    for version in data["versions"]:
        strings[version["change_summary"]["da"]] = version["change_summary"]["en"]
    for block in data["body"]:
        if block["type"] == "list":
            strings.update(zip(map(html_text, block["da"]), map(html_text, block["en"]), strict=True))
        elif block["type"] == "paragraph":
            strings[html_text(block["da"])] = html_text(block["en"])
        else:
            strings[block["da"]] = block["en"]
    return strings


def backdate(page, revision, when, first=False):
    """Date a seeded publication as if it had happened at `when` (the demo's history spans years)."""
    Revision.objects.filter(pk=revision.pk).update(created_at=when)
    PageLogEntry.objects.filter(page_id=page.pk, revision_id=revision.pk, action="wagtail.publish").update(
        timestamp=when
    )
    updates = {"last_published_at": when, "latest_revision_created_at": when}
    if first:
        updates["first_published_at"] = when
    Page.objects.filter(pk=page.pk).update(**updates)


def ensure_policy(home, en, kind):
    if PolicyPage.objects.filter(locale=home.locale, kind=kind).exists():
        return PolicyPage.objects.get(locale=home.locale, kind=kind)
    data = load(f"policies/{kind}.json")
    strings = policy_strings(data)
    page = None
    for number, version in enumerate(data["versions"], start=1):
        fields = {
            "title": data["title"]["da"],
            "search_description": data["search_description"]["da"],
            "valid_from": date.fromisoformat(version["valid_from"]),
            "change_summary": version["change_summary"]["da"],
            "material_change": version["material_change"],
            "body": policy_body(data["body"], number, "da"),
        }
        if page is None:
            page = PolicyPage(kind=kind, slug=data["slug"]["da"], **fields)
            home.add_child(instance=page)
        else:
            for field, value in fields.items():
                setattr(page, field, value)
        revision = page.save_revision()
        revision.publish()
        published = timezone.make_aware(datetime.combine(date.fromisoformat(version["published"]), time(10)))
        backdate(page, revision, published, first=number == 1)
        page.refresh_from_db()
        translated = translate_now(page, en, strings)
        backdate(translated, translated.live_revision, published + timedelta(hours=2), first=number == 1)
    return page


def ensure_legal_review(policy_pages):
    """A "Legal review" by the Reviewers group before any policy version goes live."""
    group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    task = GroupApprovalTask.objects.filter(name=LEGAL_REVIEW_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=LEGAL_REVIEW_TASK)
    task.groups.add(group)
    workflow, _ = Workflow.objects.get_or_create(name=POLICY_WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # Approving the last task publishes the version as the reviewer, so Wagtail requires the reviewer to
    # hold "publish" on the page; without it the approval is refused and the version stays in review.
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    for page in policy_pages:
        for translation in page.get_translations(inclusive=True):
            WorkflowPage.objects.update_or_create(page=translation, defaults={"workflow": workflow})
            GroupPagePermission.objects.get_or_create(group=group, page=translation, permission=publish)
    return workflow


def seed():
    home = ensure_home()
    da, en = ensure_locales()
    ensure_owner_details(Site.objects.get(is_default_site=True))
    ensure_logos()
    ensure_processors(da, en)
    ensure_articles(home, en)
    policies = [ensure_policy(home, en, kind) for kind in POLICY_KINDS]
    ensure_legal_review(policies)
    return [
        f"Public site: /da/ and /en/ (home page id {home.pk})",
        "Policies: /da/privatlivspolitik/, /da/cookiepolitik/, /da/gdpr-og-sikkerhed/ (and /en/...)",
    ]
