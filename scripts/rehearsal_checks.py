"""The production rehearsal's checks (scripts/rehearsal.sh): an outside client over HTTPS, through the shipped
nginx and its page cache, against two app servers, the worker, S3 (moto) and clamd. Each check is named; the
first that fails stops the run with its name and what it saw."""

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import boto3
import pyotp
import requests

ROOT = Path(__file__).resolve().parent.parent
CA = os.environ["REHEARSAL_CA"]
PORT = os.environ["REHEARSAL_HTTPS_PORT"]
PUBLIC_HOST = os.environ["REHEARSAL_PUBLIC_HOST"]
APP_HOST = os.environ["REHEARSAL_APP_HOST"]
PUBLIC = f"https://{PUBLIC_HOST}:{PORT}"
APP = f"https://{APP_HOST}:{PORT}"
PLAIN = f"http://{PUBLIC_HOST}:{os.environ['REHEARSAL_HTTP_PORT']}"
# The demo seed's company administrator (public demo secret, hrportal/demo.py): a scratch database only.
ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_SECRET = (
    "admin@demo-aps.dk",
    "Demo-Ansatte-2026!",
    "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
)
CHECK = "start"
RESULTS = []


def client() -> requests.Session:
    session = requests.Session()
    session.verify = CA
    session.trust_env = False  # REQUESTS_CA_BUNDLE and proxies of the machine would override verify=CA
    return session


# Both names resolve to the loopback without /etc/hosts: patch the resolver of this process only.
import socket  # noqa: E402

_getaddrinfo = socket.getaddrinfo


def _resolve(host, *args, **kwargs):
    if host in (PUBLIC_HOST, APP_HOST):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _resolve


def check(name):
    global CHECK
    CHECK = name
    print(f"--- check: {name}", flush=True)


def ensure(condition, message):
    if not condition:
        print(f"REHEARSAL CHECK FAILED: {CHECK}: {message}", file=sys.stderr, flush=True)
        sys.exit(1)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    ensure(match, "no CSRF token in the form")
    return match.group(1)


def public_pages():
    check("public home in Danish and English over HTTPS (HTTP/2 offered, HTTP redirects to HTTPS)")
    web = client()
    for lang in ("da", "en"):
        response = web.get(f"{PUBLIC}/{lang}/")
        ensure(response.status_code == 200, f"/{lang}/ answered {response.status_code}")
        ensure(f'lang="{lang}"' in response.text, f"/{lang}/ is not in {lang}")
    plain = client().get(f"{PLAIN}/da/", allow_redirects=False)
    ensure(plain.status_code == 301, f"http:// answered {plain.status_code}")
    ensure(plain.headers["Location"].startswith(f"https://{PUBLIC_HOST}"), plain.headers["Location"])
    curl = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_version}", "--cacert", CA, "--http2"]
    alpn = subprocess.run(  # noqa: S603 - fixed arguments
        [*curl, "--resolve", f"{PUBLIC_HOST}:{PORT}:127.0.0.1", f"{PUBLIC}/da/"],
        capture_output=True,
        text=True,
    )
    ensure(alpn.stdout.strip() == "2", f"HTTP version {alpn.stdout!r} {alpn.stderr}")
    static = re.search(r'(/static/[^"]+\.css)', web.get(f"{PUBLIC}/da/").text)
    ensure(static, "no stylesheet link on the home page")
    css = web.get(PUBLIC + static.group(1), headers={"Accept-Encoding": "gzip"})
    ensure(css.status_code == 200, f"{static.group(1)}: {css.status_code}")
    ensure("immutable" in css.headers.get("Cache-Control", ""), f"static: {css.headers.get('Cache-Control')}")
    ensure(css.headers.get("Content-Encoding") == "gzip", "static CSS is not gzipped")
    RESULTS.append("public home da+en 200, HTTP/2, http->https 301, static immutable+gzip")


def cache():
    check(
        "a second GET of a public page is a cache hit; the app host, sessions and Set-Cookie are not cached"
    )
    web = client()
    path = f"/da/?rehearsal={uuid.uuid4().hex}"
    first = web.get(PUBLIC + path)
    second = web.get(PUBLIC + path)
    ensure(
        first.headers.get("X-Cache-Status") in ("MISS", "EXPIRED"),
        f"first: {first.headers.get('X-Cache-Status')}",
    )
    ensure(second.headers.get("X-Cache-Status") == "HIT", f"second: {second.headers.get('X-Cache-Status')}")
    ensure("public" in second.headers.get("Cache-Control", ""), second.headers.get("Cache-Control"))
    with_session = web.get(PUBLIC + path, cookies={"__Host-sessionid": "x"})
    ensure(
        with_session.headers.get("X-Cache-Status") == "BYPASS",
        f"session: {with_session.headers.get('X-Cache-Status')}",
    )
    login = web.get(f"{APP}/portal/login/")
    again = web.get(f"{APP}/portal/login/")
    ensure(
        login.status_code == 200 and "X-Cache-Status" not in again.headers,
        "the app host went through a cache",
    )
    # A response that sets a cookie (the consent form page hands out a CSRF cookie) is not stored.
    form = web.get(f"{PUBLIC}/da/consent/settings/")
    if "Set-Cookie" in form.headers:
        form2 = web.get(f"{PUBLIC}/da/consent/settings/")
        ensure(form2.headers.get("X-Cache-Status") != "HIT", "a response with Set-Cookie was cached")
    RESULTS.append("cache: MISS then HIT; session cookie BYPASS; app host never cached")


def publish_and_watch(marker: str) -> dict:
    """Publish the Danish home page with `marker` in its intro while another client polls /da/ through the
    cache; returns when the marker was first seen after the commit (`elapsed`, s), the cache status it was
    first seen with, and how long the publish call took after its commit (`returned`). Shared with the
    page-cache benchmark (benchmarks/cache.py)."""
    code = (
        "import time; from wagtail.models import Locale; from cms_pages.models import HomePage\n"
        "page = HomePage.objects.get(locale=Locale.objects.get(language_code='da')).specific\n"
        f"page.intro = {marker!r}\n"
        "from django.db import transaction\n"
        "with transaction.atomic():\n"
        "    transaction.on_commit(lambda: print('T0', time.time(), flush=True))\n"
        "    page.save_revision().publish()\n"
        "print('T1', time.time(), flush=True)\n"
    )
    # The client polls from before the publish starts (another thread), so the time it first sees the new
    # page is known to ~20 ms; the publish prints the time it committed (its first on-commit callback; the
    # cache refresh runs on commit too, after it).
    first_seen = {}

    def poll():
        watcher = client()
        deadline = time.time() + 30
        while time.time() < deadline:
            seen_response = watcher.get(f"{PUBLIC}/da/")
            if marker in seen_response.text:
                first_seen.update(at=time.time(), status=seen_response.headers.get("X-Cache-Status"))
                return
            time.sleep(0.02)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    ensure(out.returncode == 0, out.stderr[-2000:])
    t0 = float(re.search(r"T0 ([0-9.]+)", out.stdout).group(1))
    t1 = float(re.search(r"T1 ([0-9.]+)", out.stdout).group(1))
    watcher.join(timeout=30)
    ensure(first_seen, "the new version never showed through the cache (30 s)")
    return {"elapsed": first_seen["at"] - t0, "status": first_seen["status"], "returned": t1 - t0}


def publish_through_cache():
    check("a publish is visible through the cache within 1 s")
    web = client()
    web.get(f"{PUBLIC}/da/")
    ensure(
        web.get(f"{PUBLIC}/da/").headers.get("X-Cache-Status") == "HIT", "home page not cached before publish"
    )
    marker = f"Rehearsal {uuid.uuid4().hex[:12]}"
    seen = publish_and_watch(marker)
    elapsed = seen["elapsed"]
    ensure(elapsed <= 1.0, f"visible only {elapsed:.2f} s after the commit")
    response = web.get(f"{PUBLIC}/da/")
    ensure(marker in response.text, "the new version went away again")
    ensure(
        response.headers.get("X-Cache-Status") == "HIT", f"served as {response.headers.get('X-Cache-Status')}"
    )
    RESULTS.append(
        f"publish visible through the cache {elapsed:.2f} s after its commit (first seen as"
        f" {seen['status']}, then a HIT)"
        f" (the publish call returned {seen['returned']:.2f} s after the commit, once the cache was"
        " refreshed)"
    )


def login(web):
    check("portal login with password and a real TOTP code (pyotp)")
    page = web.get(f"{APP}/portal/login/")
    ensure(page.status_code == 200, f"login page {page.status_code}")
    response = web.post(
        f"{APP}/portal/login/",
        {"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": csrf_token(page.text)},
        headers={"Referer": f"{APP}/portal/login/"},
        allow_redirects=False,
    )
    ensure(
        response.status_code == 302,
        f"password step {response.status_code}; login page set {page.headers.get('Set-Cookie')!r},"
        f" jar {[(c.name, c.domain, c.secure) for c in web.cookies]}",
    )
    verify = web.get(f"{APP}/portal/login/verify/")
    code = pyotp.TOTP(ADMIN_SECRET).now()
    response = web.post(
        f"{APP}/portal/login/verify/",
        {"code": code, "csrfmiddlewaretoken": csrf_token(verify.text)},
        headers={"Referer": f"{APP}/portal/login/verify/"},
        allow_redirects=False,
    )
    ensure(response.status_code == 302, f"code step {response.status_code}")
    dashboard = web.get(f"{APP}/portal/")
    ensure(
        dashboard.status_code == 200 and "Demo ApS" in dashboard.text, "the dashboard does not show Demo ApS"
    )
    cookies = [c.name for c in web.cookies]
    ensure(any(name.startswith("__Host-") for name in cookies), f"cookies not __Host- prefixed: {cookies}")
    RESULTS.append("portal login with password + TOTP")
    return int(time.time() // 30)


def sample_pdf(marker: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=marker)
    return bytes(pdf.output())


def upload(web):
    check("a document upload lands in the S3 bucket, encrypted (scanned by clamd when installed)")
    employees = web.get(f"{APP}/portal/employees/")
    match = re.search(r"/portal/employees/(\d+)/", employees.text)
    ensure(match, "no employee on the list")
    form_url = f"{APP}/portal/employees/{match.group(1)}/documents/upload/"
    form = web.get(form_url)
    marker = f"REHEARSAL-PLAINTEXT-{uuid.uuid4().hex}"
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["DOCUMENTS_S3_ENDPOINT_URL"],
        region_name="eu-central-1",
        aws_access_key_id="rehearsal",
        aws_secret_access_key="rehearsal-secret",  # noqa: S106 - moto's throwaway bucket
    )
    bucket = os.environ["DOCUMENTS_S3_BUCKET"]

    def keys():
        return {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}

    before = keys()
    response = web.post(
        form_url,
        {
            "kind": "contract",
            "title": "Kontrakt",
            "document_date": "2024-02-01",
            "csrfmiddlewaretoken": csrf_token(form.text),
        },
        files={"file": ("kontrakt.pdf", sample_pdf(marker), "application/pdf")},
        headers={"Referer": form_url},
        allow_redirects=False,
    )  # fmt: skip
    ensure(response.status_code == 302, f"upload answered {response.status_code}: {response.text[:500]}")
    new = keys() - before
    ensure(len(new) == 1, f"objects added to the bucket: {new}")
    body = s3.get_object(Bucket=bucket, Key=new.pop())["Body"].read()
    ensure(
        marker.encode() not in body and b"%PDF" not in body[:64], "the stored object is readable plaintext"
    )
    clamd = ""
    if os.environ.get("REHEARSAL_CLAMAV") == "1":
        clamd = " (clamd scanned it: with CLAMAV_SOCKET set an unscanned upload is refused)"
    RESULTS.append(f"upload stored in S3 encrypted ({len(body)} bytes, no plaintext){clamd}")


def export(web, login_step):
    check("a company export finishes in the worker")
    while int(time.time() // 30) <= login_step:  # a TOTP step is accepted once: wait for the next one
        time.sleep(0.5)
    settings_page = web.get(f"{APP}/portal/settings/export/")
    response = web.post(
        f"{APP}/portal/settings/export/",
        {"code": pyotp.TOTP(ADMIN_SECRET).now(), "csrfmiddlewaretoken": csrf_token(settings_page.text)},
        headers={"Referer": f"{APP}/portal/settings/export/"},
        allow_redirects=False,
    )
    ensure(response.status_code == 302, f"starting the export answered {response.status_code}")
    job_url = response.headers["Location"]
    job_url = job_url if job_url.startswith("http") else APP + job_url
    deadline = time.time() + 90
    while True:
        status = web.get(job_url + "?format=json").json()
        if status.get("finished"):
            break
        ensure(time.time() < deadline, f"the export did not finish within 90 s: {status}")
        time.sleep(0.5)
    ensure(status["status"] == "done", f"export {status}")
    RESULTS.append(f"export done in the worker ({status['done']}/{status['total']} employees)")


def failover(web):
    check("one app server stopped: the site still serves")
    pid = int(os.environ["REHEARSAL_APP1_PID"])
    os.kill(pid, signal.SIGTERM)
    for _ in range(120):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.25)
    else:
        ensure(False, "app server 1 did not stop")
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    anonymous = client()
    for i in range(6):
        page = anonymous.get(f"{PUBLIC}/en/?after-stop={i}")
        ensure(page.status_code == 200, f"public page {page.status_code} with one app server down")
        portal = web.get(f"{APP}/portal/")
        ensure(portal.status_code == 200, f"portal {portal.status_code} with one app server down")
    RESULTS.append("one app server stopped: public site and portal still 200 (6 requests each, uncached)")


def main():
    public_pages()
    cache()
    publish_through_cache()
    web = client()
    step = login(web)
    upload(web)
    export(web, step)
    failover(web)
    print("rehearsal checks passed:")
    for line in RESULTS:
        print(f"  ok  {line}")


if __name__ == "__main__":
    main()
