"""Recording a consent choice: the one place that writes ConsentRecord and builds the consent cookie."""

from django.conf import settings

from cms_pages.consent import state
from cms_pages.consent.models import CONSENT_LIFETIME, OPTIONAL_CATEGORIES, ConsentRecord
from cms_pages.consent.visitors import user_agent_summary
from config.requests import client_ip, hash_ip

ACCEPT_ALL = "accept_all"
REJECT_ALL = "reject_all"
CUSTOM = "custom"


def categories_for(choice: str, requested) -> list[str]:
    if choice == ACCEPT_ALL:
        return [c.value for c in OPTIONAL_CATEGORIES]
    if choice == REJECT_ALL:
        return []
    wanted = set(requested or [])
    # Unknown names are dropped, never stored: the record lists only what the banner offered.
    return [c.value for c in OPTIONAL_CATEGORIES if c.value in wanted]


def parse_cookie(value: str | None) -> dict | None:
    """The consent cookie is `<consent id>|<cat+cat>|<epoch>|<unix time>`; None (no consent) if malformed.

    The cookie comes from the visitor's browser, so anything may arrive: an id that is not a UUID (which a
    receipt link cannot be built for), unknown categories, a time that is not a number. Any of these means
    no valid consent, never a server error.
    """
    parts = (value or "").split("|")
    if len(parts) != 4:
        return None
    consent_id, categories, epoch, timestamp = parts
    consent_uuid = _uuid_or_none(consent_id)
    chosen = [c for c in categories.split("+") if c]
    known = {c.value for c in OPTIONAL_CATEGORIES}
    if consent_uuid is None or not set(chosen) <= known or not timestamp.isdigit() or len(epoch) > 64:
        return None
    return {
        "consent_id": str(consent_uuid),
        "categories": chosen,
        "epoch": epoch,
        "timestamp": timestamp,
    }


def cookie_value(record: ConsentRecord) -> str:
    return "|".join(
        [
            str(record.consent_id),
            "+".join(record.categories),
            record.epoch,
            str(int(record.created_at.timestamp())),
        ]
    )


def record_consent(request, *, choice: str, categories, language: str) -> ConsentRecord:
    previous = parse_cookie(request.COOKIES.get(settings.CONSENT_COOKIE_NAME))
    replaces = None
    if previous:
        replaces = ConsentRecord.objects.filter(consent_id=_uuid_or_none(previous["consent_id"])).first()
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    return ConsentRecord.objects.create(
        categories=categories_for(choice, categories),
        policy_version=state.policy_version(language),
        banner_version=state.banner_version(),
        epoch=state.consent_epoch(),
        language=language,
        ip_hash=hash_ip(client_ip(request)),
        user_agent=user_agent_summary(request.META.get("HTTP_USER_AGENT", "")),
        replaces=replaces.consent_id if replaces else None,
    )


def set_consent_cookie(response, request, record: ConsentRecord):
    # Read by consent.js, so not HttpOnly; it holds no secret, only the choice and its receipt id.
    response.set_cookie(
        settings.CONSENT_COOKIE_NAME,
        cookie_value(record),
        max_age=int(CONSENT_LIFETIME.total_seconds()),
        samesite="Lax",
        secure=request.is_secure(),
        httponly=False,
    )


def _uuid_or_none(value):
    import uuid

    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None
