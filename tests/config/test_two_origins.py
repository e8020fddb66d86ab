"""Two origins (issue #12): every URL belongs to one host, each host refuses the other's paths, the public
host never sets or reads the portal's cookies, every response carries a CSP and a Permissions-Policy, and
the app host refuses requests another site's page makes in the background.

The walk covers every URL pattern, so a new view is classified by config/origins.py and tested here without
anyone remembering to.
"""

import pytest
from django.test import Client

from cms_pages.consent.models import TrackingScript
from config.origins import APP, BOTH, PUBLIC, area_of
from tests.conftest import APP_HOST, PUBLIC_HOST, login_verified, public_client
from tests.hrportal.urlwalk import walk

# The first path segment of every route, by the host it belongs to. A route under a new segment fails
# test_every_route_belongs_to_a_known_part_of_one_host until it is placed here and in config/origins.py.
KNOWN_SEGMENTS = {
    APP: {"admin", "portal", "sign", "verify", "rights"},
    BOTH: {"healthz", "readyz", "robots.txt"},
    PUBLIC: {"consent", "da", "documents", "i18n", "sitemap.xml"},
}
HOST_OF = {APP: APP_HOST, PUBLIC: PUBLIC_HOST}
ORIGIN_OF = {APP: "http://testserver", PUBLIC: "http://public.testserver"}


@pytest.fixture
def home(db):
    from cms_pages.demo import ensure_home

    return ensure_home()


def routes():
    return walk()


def test_every_route_belongs_to_a_known_part_of_one_host():
    unknown = {}
    for route in routes():
        segment = route.path.lstrip("/").split("/")[0]
        if segment not in KNOWN_SEGMENTS[area_of(route.path)]:
            unknown[route.name] = (route.path, area_of(route.path))
    assert not unknown, f"classify these in config/origins.py and KNOWN_SEGMENTS: {unknown}"
    assert len(routes()) > 400  # the walk found the admin's and the portal's patterns


@pytest.mark.django_db
def test_each_route_on_the_wrong_host_is_redirected_for_get_and_refused_otherwise():
    wrong = {APP: public_client(), PUBLIC: Client()}
    checked = 0
    for route in routes():
        area = area_of(route.path)
        if area == BOTH:
            continue
        client = wrong[area]
        response = client.get(route.path, {"q": "1"})
        assert response.status_code == 302, (route.name, route.path, response.status_code)
        assert response["Location"] == f"{ORIGIN_OF[area]}{route.path}?q=1", route.name
        assert not response.cookies, route.name
        for method in ("post", "put", "delete"):
            refused = getattr(client, method)(route.path)
            assert refused.status_code == 404, (route.name, method, refused.status_code)
        checked += 1
    assert checked > 400


@pytest.mark.django_db
def test_the_app_hosts_front_door_is_the_portal():
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert public_client().get("/").get("Location", "") != "/portal/"  # the public root is the site


@pytest.mark.django_db
def test_shared_paths_answer_on_both_hosts():
    for client in (Client(), public_client()):
        assert client.get("/healthz").status_code == 200
        assert client.get("/robots.txt").status_code == 200


@pytest.mark.django_db
def test_an_unknown_host_is_refused():
    assert Client(HTTP_HOST="evil.example").get("/portal/login/").status_code == 400


@pytest.fixture
def logged_in(company):
    from tests.conftest import make_admin

    admin = make_admin(company)
    return login_verified(Client(), admin)


@pytest.mark.django_db
def test_the_app_hosts_cookies_are_host_only_http_only_and_lax(logged_in, settings):
    session = logged_in.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert session["domain"] == "" and session["path"] == "/"
    csrf = logged_in.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["domain"] == "" and csrf["httponly"]


@pytest.mark.django_db
def test_the_public_host_ignores_the_portals_session_and_sets_no_session(logged_in, home, settings):
    """A browser would not send the app host's cookies there; if something did, they change nothing."""
    anonymous = public_client()
    for path in ("/da/", "/en/", "/da/contact/", "/da/newsletter/", "/consent/csrf/", "/da/findes-ikke/"):
        with_session = logged_in.get(path, HTTP_HOST=PUBLIC_HOST)
        without = anonymous.get(path)
        assert with_session.status_code == without.status_code, path
        assert settings.SESSION_COOKIE_NAME not in with_session.cookies, path
        assert settings.CSRF_COOKIE_NAME not in with_session.cookies, path
        if path in ("/da/", "/en/"):  # the cached pages: the same for everyone, whatever cookies arrive
            assert with_session.content == without.content and "Cookie" not in with_session.get("Vary", "")
    # A form posted on the public host makes no session either.
    response = anonymous.post("/da/newsletter/", {"email": "a@example.test", "consent": "on"})
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


@pytest.mark.django_db
def test_every_kind_of_response_has_a_csp_and_a_permissions_policy(logged_in, home, settings):
    responses = {
        "public page": public_client().get("/da/"),
        "public 404": public_client().get("/da/findes-ikke/"),
        "public form": public_client().get("/da/contact/"),
        "public redirect": public_client().get("/portal/"),
        "portal login": Client().get("/portal/login/"),
        "portal page": logged_in.get("/portal/employees/"),
        "portal 404": logged_in.get("/portal/employees/999999/"),
        "signing link": Client().get("/sign/not-a-token/"),
        "verification": Client().get("/verify/"),
        "admin": logged_in.get("/admin/"),
        "health": Client().get("/healthz"),
    }
    for name, response in responses.items():
        assert "Content-Security-Policy" in response, name
        assert "camera=()" in response["Permissions-Policy"], name
        directives = policy(response)
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"], name
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], name
        if name != "admin":
            assert "'unsafe-inline'" not in response["Content-Security-Policy"], name
            assert directives["frame-ancestors"] == ["'none'"], name
    assert policy(responses["portal page"])["style-src"] == ["'self'"]
    assert policy(responses["portal page"])["script-src"] == ["'self'"]
    # The admin: what Wagtail needs from its own origin, nothing from elsewhere.
    admin = policy(responses["admin"])
    assert all(
        v in ("'self'", "'unsafe-inline'", "data:", "blob:", "'none'") for vs in admin.values() for v in vs
    )


@pytest.mark.django_db
def test_the_public_csp_names_exactly_the_declared_scripts_hosts(home):
    def script_src():
        return policy(public_client().get("/da/"))["script-src"]

    assert script_src() == ["'self'"]
    script = TrackingScript.objects.create(
        name="Stats", category="statistics", src="https://stats.example.com/s.js?id=1"
    )
    TrackingScript.objects.create(
        name="Off", category="marketing", src="https://ads.example.net/a.js", active=False
    )
    assert script_src() == ["'self'", "https://stats.example.com"]
    script.delete()
    assert script_src() == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "src",
    [
        "javascript:alert(1)",
        "/static/js/x.js",
        "data:text/javascript,alert(1)",
        "http://testserver/portal/x.js",
        # The app's host on another scheme or port, or spelled with a trailing dot, is still the app's host.
        "https://testserver:8443/x.js",
        "https://testserver./x.js",
        # A user name or password is no part of an origin and would make the CSP source invalid.
        "https://user:pw@stats.example.com/s.js",
    ],
)
def test_a_tracking_script_is_a_url_on_another_host_never_code(src):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        TrackingScript(name="X", category="statistics", src=src).full_clean()
    assert "code" not in {f.name for f in TrackingScript._meta.get_fields()}


@pytest.mark.django_db
def test_the_app_host_refuses_background_requests_from_another_site(logged_in, company):
    """ansatte.dk and app.ansatte.dk are the same site, so the browser sends SameSite=Lax cookies on a
    script's request from one to the other; the Fetch Metadata headers it adds tell the app host not to serve
    it, before any view (and so whatever the CSRF token)."""
    from hrportal.companies.models import Invitation
    from hrportal.tenancy import company_scope

    for site in ("same-site", "cross-site"):
        read = logged_in.get(
            "/portal/employees/export.csv", HTTP_SEC_FETCH_SITE=site, HTTP_SEC_FETCH_MODE="cors"
        )
        assert read.status_code == 403 and b"," not in read.content, site
        write = logged_in.post(
            "/portal/users/invite/",
            {"email": "attacker@example.test", "name": "A"},
            HTTP_SEC_FETCH_SITE=site,
            HTTP_SEC_FETCH_MODE="no-cors",
        )
        assert write.status_code == 403, site
        framed = logged_in.get(
            "/portal/", HTTP_SEC_FETCH_SITE=site, HTTP_SEC_FETCH_MODE="navigate", HTTP_SEC_FETCH_DEST="iframe"
        )
        assert (
            framed["X-Frame-Options"] == "DENY"
            or "frame-ancestors 'none'" in framed["Content-Security-Policy"]
        )
    with company_scope(company):
        assert not Invitation.objects.filter(email="attacker@example.test").exists()
    # A link followed from the public site (a top-level navigation) opens the page.
    followed = logged_in.get("/portal/", HTTP_SEC_FETCH_SITE="same-site", HTTP_SEC_FETCH_MODE="navigate")
    assert followed.status_code == 200
    assert logged_in.get("/portal/").status_code == 200  # no Fetch Metadata (an old browser): allowed


def test_an_editor_who_pastes_code_is_told_in_danish_what_to_give_instead():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("da"), pytest.raises(ValidationError) as refused:
        TrackingScript(name="Pixel", category="marketing", src="fbq('init', '123');").full_clean()
    assert refused.value.message_dict["src"] == [
        "Angiv den fulde adresse på scriptfilen (https://…). JavaScript direkte i feltet er ikke "
        "tilladt: bed leverandøren om adressen på deres script."
    ]


def test_an_origin_is_scheme_host_and_port_only():
    from config.origins import origin_of

    assert origin_of("https://user:pw@Stats.Example.com./s.js?x=1") == "https://stats.example.com"
    assert origin_of("http://127.0.0.2:8109/a.js") == "http://127.0.0.2:8109"
    assert origin_of("https://x.example:notaport/") == ""


@pytest.mark.django_db
def test_portal_and_signing_pages_link_to_the_policies_on_the_public_host(django_capture_on_commit_callbacks):
    from cms_pages.demo import seed

    with django_capture_on_commit_callbacks(execute=True):
        seed()
    for path in ("/portal/login/", "/portal/signup/", "/verify/"):
        html = Client().get(path).content.decode()
        assert 'href="http://public.testserver/da/policy/privacy/"' in html, path
    followed = public_client().get("/da/policy/privacy/")
    assert followed.status_code == 302 and followed["Location"].endswith("/da/privatlivspolitik/")
    assert public_client().get("/en/policy/cookie/").status_code == 302
    assert public_client().get("/da/policy/unknown/").status_code == 404


@pytest.mark.django_db
def test_behind_nginx_an_origin_with_a_port_is_known_by_its_host_name_alone(settings):
    """nginx passes `Host: $host` (no port): on https://app.example.test:8443 the login page must still set
    the app host's CSRF cookie, or no one can log in; another host name, or another port, stays unknown."""
    from django.test import RequestFactory

    from config.origins import host_area

    settings.APP_ORIGIN = "https://app.example.test:8443"
    settings.PUBLIC_ORIGIN = "https://example.test:8443"
    settings.ALLOWED_HOSTS = ["app.example.test", "example.test", "evil.test"]
    factory = RequestFactory()
    assert host_area(factory.get("/", HTTP_HOST="app.example.test")) == APP
    assert host_area(factory.get("/", HTTP_HOST="app.example.test:8443")) == APP
    assert host_area(factory.get("/", HTTP_HOST="example.test")) == PUBLIC
    assert host_area(factory.get("/", HTTP_HOST="app.example.test:9999")) is None
    assert host_area(factory.get("/", HTTP_HOST="evil.test")) is None
    client = Client(HTTP_HOST="app.example.test", HTTP_X_FORWARDED_PROTO="https")
    response = client.get("/portal/login/", secure=True)
    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME in response.cookies
