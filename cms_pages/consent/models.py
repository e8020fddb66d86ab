"""Cookie consent: the proof kept for each choice, the tracking scripts consent unlocks, the cookie
declaration shown on the cookie policy, and the record of each scan that keeps the declaration honest."""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import LockableMixin, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

CONSENT_LIFETIME = timedelta(days=365)


class Category(models.TextChoices):
    NECESSARY = "necessary", _("Necessary")
    PREFERENCES = "preferences", _("Preferences")
    STATISTICS = "statistics", _("Statistics")
    MARKETING = "marketing", _("Marketing")


# The categories a visitor chooses; necessary ones need no consent (ePrivacy art. 5(3) exemption).
OPTIONAL_CATEGORIES = [Category.PREFERENCES, Category.STATISTICS, Category.MARKETING]

CATEGORY_PURPOSES = {
    Category.NECESSARY: _(
        "Make the site work and keep it secure: your cookie choice and protection against forged forms. "
        "Always on."
    ),
    Category.PREFERENCES: _("Remember choices you make, such as settings that change how the site looks."),
    Category.STATISTICS: _("Help us understand how visitors use the site, through anonymised statistics."),
    Category.MARKETING: _("Show relevant advertising and measure campaigns, also on other websites."),
}

UNCLASSIFIED = "unclassified"
DECLARATION_CATEGORIES = [*Category.choices, (UNCLASSIFIED, _("Unclassified"))]


class ConsentRecord(models.Model):
    """One choice a visitor made: the proof the controller must be able to show (GDPR art. 7(1)).

    Never updated: a new choice is a new record, pointing at the one it replaces.
    """

    consent_id = models.UUIDField(_("consent ID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("given at"), default=timezone.now, db_index=True)
    categories = models.JSONField(_("categories"), default=list)
    policy_version = models.CharField(_("cookie policy version"), max_length=64)
    banner_version = models.CharField(_("banner text version"), max_length=32)
    epoch = models.CharField(_("consent epoch"), max_length=32)
    language = models.CharField(_("language"), max_length=8)
    ip_hash = models.CharField(_("IP (truncated, hashed)"), max_length=64, blank=True)
    user_agent = models.CharField(_("browser"), max_length=64, blank=True)
    replaces = models.UUIDField(_("replaces consent"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.consent_id)

    @property
    def expires_at(self):
        return self.created_at + CONSENT_LIFETIME

    @property
    def all_categories(self):
        return [Category.NECESSARY.value, *self.categories]

    def category_labels(self):
        return [Category(value).label for value in self.all_categories]

    def as_receipt(self) -> dict:
        return {
            "consent_id": str(self.consent_id),
            "given_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "categories": self.all_categories,
            "cookie_policy_version": self.policy_version,
            "banner_text_version": self.banner_version,
            "language": self.language,
            "ip_truncated_hashed": self.ip_hash,
            "browser": self.user_agent,
            "replaces": str(self.replaces) if self.replaces else None,
        }


def validate_script_url(url: str):
    """A tracking script is a file on an allowed host, never code: the public site's CSP allows exactly the
    origins of these URLs (config/csp.py), and no inline JavaScript at all (issue #12)."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.core.validators import URLValidator

    from config.origins import host_of, origin_of

    origin = origin_of(url)
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        origin = ""
    if not origin:
        raise ValidationError(
            _(
                "Enter the full address of the script file (https://…). Inline JavaScript is not allowed: "
                "ask the vendor for the address of their script."
            ),
            code="not_a_url",
        )
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ValidationError(
            _("The address must not contain a user name or password."), code="credentials_in_url"
        )
    public_is_https = settings.PUBLIC_ORIGIN.startswith("https://")
    if public_is_https and not origin.startswith("https://"):
        raise ValidationError(_("The script must be loaded over https://."), code="not_https")
    # The app's host on any scheme or port: its responses must never run as the public site's script.
    if host_of(url) == host_of(settings.APP_ORIGIN):
        raise ValidationError(
            _("A tracking script cannot be loaded from the HR portal's address."), code="app_origin"
        )


class TrackingScript(LockableMixin, models.Model):
    """A third-party or analytics script that must not run, or even be requested, before consent.

    Only a URL: the script runs from its vendor's host, which the public site's CSP then allows. Inline code
    (a pasted snippet) would run with the public site's full rights and cannot be told apart from an
    injected script, so there is none (migration 0006 deactivated the scripts that had only code).
    """

    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.STATISTICS
    )
    # A CharField: the editor sees validate_script_url's explanation, not a bare "Enter a valid URL".
    src = models.CharField(
        _("script URL"),
        max_length=500,
        validators=[validate_script_url],
        help_text=_(
            "The address of the vendor's script file, loaded as <script src> after consent. Its host is "
            "added to the site's Content Security Policy; inline JavaScript is not allowed."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("tracking script")
        verbose_name_plural = _("tracking scripts")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def as_json(self):
        return {"id": self.pk, "name": self.name, "category": self.category, "src": self.src}


class CookieDeclaration(TranslatableMixin, LockableMixin, models.Model):
    """One cookie (or a family, with * as wildcard: `_ga_*`) as the cookie policy declares it."""

    class Party(models.TextChoices):
        FIRST = "first", _("First party")
        THIRD = "third", _("Third party")

    name = models.CharField(_("name"), max_length=150, help_text=_("Exact cookie name; * matches any text."))
    provider = models.CharField(_("provider"), max_length=150)
    purpose = models.TextField(_("purpose"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=DECLARATION_CATEGORIES, default=UNCLASSIFIED
    )
    lifetime = models.CharField(_("lifetime"), max_length=100, blank=True)
    party = models.CharField(
        _("first or third party"), max_length=5, choices=Party.choices, default=Party.FIRST
    )
    found_by_scan = models.BooleanField(_("found by scan"), default=False, editable=False)
    last_seen_at = models.DateTimeField(_("last seen by scan"), null=True, blank=True, editable=False)
    # Part of the cached declaration's version (cms_pages/consent/fragments.py): any save moves it.
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    # Translated through wagtail-localize: the texts a visitor reads; the rest is the same in every language.
    translatable_fields = [
        SynchronizedField("name"),
        SynchronizedField("provider"),
        TranslatableField("purpose"),
        SynchronizedField("category"),
        TranslatableField("lifetime"),
        SynchronizedField("party"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("cookie declaration")
        verbose_name_plural = _("cookie declarations")
        ordering = ["category", "name"]

    def __str__(self):
        return self.name

    def matches(self, cookie_name: str) -> bool:
        from fnmatch import fnmatchcase

        return fnmatchcase(cookie_name, self.name)


class CookieScan(models.Model):
    """The outcome of one `scan_cookies` run: what the site actually did with all categories accepted."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    base_url = models.CharField(_("base URL"), max_length=200)
    pages = models.JSONField(_("pages scanned"), default=list)
    cookies = models.JSONField(_("cookies seen"), default=list)
    third_party_requests = models.JSONField(_("third-party hosts"), default=list)
    new_cookies = models.JSONField(_("new, unclassified cookies"), default=list)
    unclassified_cookies = models.JSONField(_("cookies awaiting classification"), default=list)
    declared_not_seen = models.JSONField(_("declared but not seen"), default=list)
    undeclared_hosts = models.JSONField(
        _("third-party hosts no tracking script or declared provider explains"), default=list
    )
    error = models.TextField(_("error"), blank=True)
    # The crawl itself failed (browser or site down): nothing was checked, and the declaration's "Last
    # scanned on" keeps the date of the last scan that did check.
    failed = models.BooleanField(_("failed"), default=False)

    class Meta:
        verbose_name = _("cookie scan")
        verbose_name_plural = _("cookie scans")
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def has_differences(self) -> bool:
        return bool(
            self.new_cookies or self.unclassified_cookies or self.declared_not_seen or self.undeclared_hosts
        )
