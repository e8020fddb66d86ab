"""The cookie policy page shows the declaration as it is in the database, at once, even when another process
changed it: `scan_cookies` runs from cron, and a local-memory cache is per process, so a signal there cannot
clear the web server's copy (cms_pages/consent/fragments.py)."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from cms_pages.demo import ensure_home
from tests.cms_pages.consent.helpers import publish_cookie_policy


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def in_another_process(code: str) -> None:
    """Run `code` in a fresh Django process on this test's database (its own, empty, local cache)."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run(  # our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def declaration(client, page) -> str:
    html = client.get(page.url).content.decode()
    return re.search(r'<section class="cookie-declaration".*?</section>', html, re.S).group(0)


SCAN = """
from cms_pages.consent.scanner import CrawlResult, compare_and_record
found = {"_found_by_cron": {"domain": "testserver", "expires": -1}}
compare_and_record("http://testserver", ["/da/"], CrawlResult(cookies=found))
"""

EDIT = """
from cms_pages.consent.models import CookieDeclaration
cookie = CookieDeclaration.objects.get(name="_found_by_cron")
cookie.purpose = "Tæller besøg (klassificeret af en redaktør)"
cookie.category = "statistics"
cookie.save()
"""


@pytest.mark.django_db(transaction=True)
def test_after_a_scan_or_an_edit_elsewhere_the_policy_page_shows_the_declaration_at_once(client):
    policy = publish_cookie_policy(ensure_home())
    before = declaration(client, policy)
    assert "_found_by_cron" not in before and "Endnu ikke scannet" in before  # now cached in this process

    in_another_process(SCAN)
    after_scan = declaration(client, policy)
    assert "Sidst scannet den" in after_scan
    # Found but not yet reviewed: it waits for an editor, it is not declared to visitors as "unclassified".
    assert "_found_by_cron" not in after_scan

    in_another_process(EDIT)
    after_edit = declaration(client, policy)
    assert "<code>_found_by_cron</code>" in after_edit
    assert "Tæller besøg (klassificeret af en redaktør)" in after_edit and "Statistik" in after_edit
