"""The cookie scan: crawl our own public pages in headless chromium with every category accepted, and
compare what the site really sets and calls with what the cookie declaration says.

The crawl (Playwright) touches no database; the comparison afterwards does, so Django's ORM never runs
inside Playwright's event loop.
"""

import shutil
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from wagtail.models import Locale, Page

from cms_pages.consent.models import (
    OPTIONAL_CATEGORIES,
    UNCLASSIFIED,
    Category,
    ConsentRecord,
    CookieDeclaration,
    CookieScan,
    TrackingScript,
)
from config import mail

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@dataclass
class CrawlResult:
    cookies: dict[str, dict] = field(default_factory=dict)  # name -> {domain, expires}
    third_party_hosts: set[str] = field(default_factory=set)
    failed_pages: list[str] = field(default_factory=list)


# Public pages that are not Wagtail pages but load consent.js (and so every consented tracking script).
NON_PAGE_VIEWS = (
    "contact:form",
    "contact:thanks",
    "newsletter:signup",
    "newsletter:check_email",
    "consent:settings",
    "site_search",
)


def public_paths(limit: int = 500) -> list[str]:
    """Paths of every live, public page in every language (the same set the sitemap lists), then, in
    every language, the public views outside Wagtail that load consent.js: contact, newsletter signup,
    consent settings, search, and the receipt page (of the newest consent record, if any: the crawler
    only looks at it on our own server)."""
    paths = []
    for page in Page.objects.live().public().filter(depth__gt=1).specific().iterator():
        parts = page.get_url_parts()
        if parts and parts[2] not in paths:
            paths.append(parts[2])
        if len(paths) >= limit:
            break
    record = ConsentRecord.objects.order_by("-created_at").first()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            extra = [reverse(name) for name in NON_PAGE_VIEWS]
            if record is not None:
                extra.append(reverse("consent:receipt", args=[record.consent_id]))
        paths += [path for path in extra if path not in paths]
    return paths


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def crawl(base_url: str, paths: list[str], epoch: str, timeout_ms: int = 20000) -> CrawlResult:
    """Run the browser in its own thread: Playwright's sync API refuses a thread that already runs an
    event loop (an ASGI worker, or a test session driving another browser)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_crawl, base_url, paths, epoch, timeout_ms).result()


def _crawl(base_url: str, paths: list[str], epoch: str, timeout_ms: int) -> CrawlResult:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chromium is not installed (apt-get install -y chromium)")
    base_host = urlsplit(base_url).netloc
    result = CrawlResult()
    # A well-formed cookie (a malformed one counts as no consent), with an id no ConsentRecord has.
    categories = "+".join(c.value for c in OPTIONAL_CATEGORIES)
    consent = "|".join([str(uuid.uuid4()), categories, epoch, str(int(time.time()))])

    def on_request(request):
        host = urlsplit(request.url).netloc
        if host and host != base_host and urlsplit(request.url).scheme in ("http", "https"):
            result.third_party_hosts.add(host)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context()  # a fresh profile: only what the site itself sets
            # All categories accepted, as a visitor who clicked "Accept all" (no ConsentRecord is made).
            context.add_cookies([{"name": settings.CONSENT_COOKIE_NAME, "value": consent, "url": base_url}])
            page = context.new_page()
            page.on("request", on_request)
            for path in paths:
                try:
                    response = page.goto(base_url + path, wait_until="networkidle", timeout=timeout_ms)
                    page.wait_for_timeout(300)  # scripts added after load set their cookies late
                except PlaywrightError:
                    result.failed_pages.append(path)
                    continue
                # An error page was not scanned: what the page itself would set or call went unchecked.
                if response is None or response.status >= 400:
                    result.failed_pages.append(f"{path} (HTTP {response.status if response else '-'})")
            for cookie in context.cookies():
                result.cookies.setdefault(
                    cookie["name"], {"domain": cookie["domain"], "expires": cookie.get("expires", -1)}
                )
        finally:
            browser.close()
    return result


def lifetime(expires: float) -> str:
    if not expires or expires < 0:
        return translation.gettext("Session")
    days = max(1, round((expires - time.time()) / 86400))
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _hostname(netloc_or_url: str) -> str:
    value = netloc_or_url if "//" in netloc_or_url else "//" + netloc_or_url
    return (urlsplit(value).hostname or "").lower()


def undeclared_hosts(hosts, declarations) -> list[str]:
    """The third-party hosts the pages called that nothing declared explains: not the host of an active
    tracking script's URL, nor (a subdomain of) a declared cookie's provider given as a domain. A request
    to such a host is a third party the cookie policy does not name, whatever cookies it sets."""
    explained = {
        _hostname(src) for src in TrackingScript.objects.filter(active=True).values_list("src", flat=True)
    }
    explained |= {
        d.provider.strip().lower().lstrip(".")
        for d in declarations
        if "." in d.provider and " " not in d.provider.strip()
    }
    explained.discard("")
    return sorted(
        host
        for host in hosts
        if not any(_hostname(host) == d or _hostname(host).endswith("." + d) for d in explained)
    )


def compare_and_record(base_url: str, paths: list[str], result: CrawlResult) -> CookieScan:
    """Add unknown cookies as unclassified declarations (never twice) and record the scan."""
    default = Locale.get_default()
    declarations = list(CookieDeclaration.objects.filter(locale=default))
    base_host = urlsplit(base_url).hostname or ""
    now = timezone.now()
    seen_declarations, new_cookies = set(), []
    with translation.override(default.language_code):
        for name, cookie in sorted(result.cookies.items()):
            match = next((d for d in declarations if d.matches(name)), None)
            if match is None:
                domain = cookie["domain"].lstrip(".")
                match = CookieDeclaration.objects.create(
                    name=name,
                    provider=domain,
                    category=UNCLASSIFIED,
                    lifetime=lifetime(cookie["expires"]),
                    party=(
                        CookieDeclaration.Party.FIRST
                        if base_host == domain or base_host.endswith("." + domain)
                        else CookieDeclaration.Party.THIRD
                    ),
                    found_by_scan=True,
                    locale=default,
                    translation_key=uuid.uuid4(),
                )
                declarations.append(match)
                new_cookies.append(name)
            seen_declarations.add(match.pk)
    CookieDeclaration.objects.filter(pk__in=seen_declarations).update(last_seen_at=now)
    # Necessary cookies (login, CSRF) appear only on interaction, so their absence is no news.
    not_seen = [
        d.name for d in declarations if d.pk not in seen_declarations and d.category != Category.NECESSARY
    ]
    return CookieScan.objects.create(
        started_at=now,
        finished_at=timezone.now(),
        base_url=base_url,
        pages=paths,
        cookies=sorted(result.cookies),
        third_party_requests=sorted(result.third_party_hosts),
        new_cookies=new_cookies,
        unclassified_cookies=sorted(d.name for d in declarations if d.category == UNCLASSIFIED),
        declared_not_seen=sorted(not_seen),
        undeclared_hosts=undeclared_hosts(result.third_party_hosts, declarations),
        error=("Pages that failed to load: " + ", ".join(result.failed_pages)) if result.failed_pages else "",
    )


def record_failure(base_url: str, paths: list[str], started_at, error: Exception) -> CookieScan:
    """A crawl that did not run to the end is recorded too, so editors and the dashboard learn that the
    declaration went unchecked (a scan nobody hears of cannot be told from a month without news)."""
    return CookieScan.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        base_url=base_url,
        pages=paths,
        unclassified_cookies=sorted(
            CookieDeclaration.objects.filter(category=UNCLASSIFIED).values_list("name", flat=True).distinct()
        ),
        failed=True,
        error=f"{type(error).__name__}: {error}"[:2000],
    )


def editors():
    """Active users who may edit the cookie declaration: those who should classify new cookies."""
    permission = Permission.objects.get(
        content_type__app_label="consent", codename="change_cookiedeclaration"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(user_permissions=permission) | Q(groups__permissions=permission))
        .distinct()
    )


def notify_editors(scan: CookieScan) -> int:
    """Email each editor the differences, in their language; the dashboard panel shows them too."""
    sent = 0
    for user in editors():
        language = getattr(user, "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {"scan": scan, "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"}
            sent += mail.send("emails/consent/scan", context, to=[user.email])
    return sent
