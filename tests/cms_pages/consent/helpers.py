"""Cookie policy pages for consent tests, published as an editor would (a revision, then publish)."""

import datetime

from cms_pages.models import PolicyPage


def publish_cookie_policy(home, *, material=False, summary="Første version"):
    page = PolicyPage.objects.filter(kind="cookie", locale=home.locale).first()
    if page is None:
        page = PolicyPage(
            title="Cookiepolitik",
            slug="cookiepolitik",
            kind="cookie",
            valid_from=datetime.date(2025, 1, 1),
            change_summary=summary,
            material_change=material,
            body=[("paragraph", "<p>Vi bruger cookies.</p>")],
        )
        home.add_child(instance=page)
    else:
        page = page.specific
        page.change_summary = summary
        page.material_change = material
        page.body = [("paragraph", f"<p>Vi bruger cookies. {summary}</p>")]
    page.save_revision().publish()
    return PolicyPage.objects.get(pk=page.pk)
