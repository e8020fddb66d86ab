"""The shipped nginx page cache, run for real in front of a stand-in app server: it keeps what the app marks
public and nothing else, and the app's refresh after a publish replaces the cached copy.

The stand-in counts how often each path reaches it, so "cached" means the second request never got to the
app, not that a header says so.
"""

import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cms_pages.frontend_cache import CommittedHTTPBackend
from tests.config.nginx_site import nginx_command, shipped_nginx

pytestmark = [
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not on PATH: the page cache is not run"),
    pytest.mark.skipif(not shutil.which("curl"), reason="curl is not on PATH: no HTTPS client with SNI"),
]
PUBLIC, APP = "ansatte.dk", "app.ansatte.dk"


class App(BaseHTTPRequestHandler):
    """Answers like the app would: public pages say `Cache-Control: public`; the special paths add what
    must keep a response out of a shared cache."""

    hits: dict = {}
    encodings: dict = {}
    version = 1

    def do_GET(self):
        key = (self.headers["Host"].split(":")[0], self.path)
        App.hits[key] = App.hits.get(key, 0) + 1
        body = f"{self.path} v{App.version} lang={self.headers.get('Accept-Language', '-')}".encode()
        App.encodings[key] = self.headers.get("Accept-Encoding")
        if self.path.startswith("/long/"):
            body += b" " + b"Lang tekst om ansatte. " * 100  # above gzip_min_length
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if self.path.startswith("/private/"):
            self.send_header("Cache-Control", "private, no-cache")
        else:
            self.send_header("Cache-Control", "public, max-age=300, s-maxage=300")
        if self.path.startswith("/cookie/"):
            self.send_header("Set-Cookie", "csrftoken=abc; Secure")
        if self.path.startswith("/vary/"):
            self.send_header("Vary", "Accept-Language")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("nginx")
    app = ThreadingHTTPServer(("127.0.0.1", 0), App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    http, https, refresh = _free_ports(3)
    conf = shipped_nginx(
        tmp_path, ports={80: http, 443: https, 6081: refresh}, upstream=f"127.0.0.1:{app.server_port}"
    )
    nginx = subprocess.Popen(
        nginx_command(tmp_path, "-c", str(conf), "-g", "daemon off;"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", https), timeout=1).close()
            break
        except OSError:
            if nginx.poll() is not None or time.monotonic() > deadline:
                nginx.kill()
                pytest.fail(f"nginx did not start: {nginx.stderr.read().decode()}")
            time.sleep(0.1)
    yield {"https": https, "refresh": refresh}
    nginx.terminate()
    nginx.wait(timeout=10)
    app.shutdown()


def get(cache, host, path, *headers):
    """GET over HTTPS with the host's name in SNI and Host, as a browser would: (status, headers, body)."""
    port = cache["https"]
    result = subprocess.run(
        ["curl", "-sk", "-D", "-", "--resolve", f"{host}:{port}:127.0.0.1", f"https://{host}:{port}{path}"]
        + [arg for header in headers for arg in ("-H", header)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    head, _, body = result.stdout.replace("\r\n", "\n").partition("\n\n")
    lines = head.split("\n")
    fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in fields.items()}, body


def hits(host, path):
    return App.hits.get((host, path), 0)


def test_a_public_page_is_served_from_the_cache_the_second_time(cache):
    first = get(cache, PUBLIC, "/da/")
    second = get(cache, PUBLIC, "/da/")
    assert first[0] == second[0] == 200 and first[2] == second[2]
    assert (first[1]["x-cache-status"], second[1]["x-cache-status"]) == ("MISS", "HIT")
    assert hits(PUBLIC, "/da/") == 1


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/cookie/", ()),  # the response sets a cookie
        ("/private/", ()),  # the app says private
        ("/session/", ("Cookie: __Host-sessionid=abc",)),  # someone logged in asks
        ("/portal/employees/", ()),  # an app-host path, even when the app says public
    ],
)
def test_what_must_not_be_shared_always_reaches_the_app(cache, path, headers):
    get(cache, PUBLIC, path, *headers)
    get(cache, PUBLIC, path, *headers)
    assert hits(PUBLIC, path) == 2


def test_a_logged_in_visitors_page_is_not_stored_for_the_next_visitor(cache):
    get(cache, PUBLIC, "/en/", "Cookie: sessionid=abc")
    status, fields, _ = get(cache, PUBLIC, "/en/")
    assert fields["x-cache-status"] == "MISS" and hits(PUBLIC, "/en/") == 2


def test_nothing_of_the_app_host_is_cached(cache):
    for _ in range(2):
        status, fields, _ = get(cache, APP, "/da/")
        assert status == 200 and "x-cache-status" not in fields
    assert hits(APP, "/da/") == 2


def test_vary_is_honoured(cache):
    danish = get(cache, PUBLIC, "/vary/", "Accept-Language: da")[2]
    english = get(cache, PUBLIC, "/vary/", "Accept-Language: en")[2]
    assert "lang=da" in danish and "lang=en" in english


def test_the_apps_refresh_after_a_publish_replaces_the_cached_copy(cache):
    get(cache, PUBLIC, "/da/politik/")
    App.version = 2  # an editor publishes
    assert "v1" in get(cache, PUBLIC, "/da/politik/")[2]  # still the cached copy
    backend = CommittedHTTPBackend({"LOCATION": f"http://127.0.0.1:{cache['refresh']}"})
    backend.send(f"https://{PUBLIC}/da/politik/")  # what the publish's on_commit callback sends
    status, fields, body = get(cache, PUBLIC, "/da/politik/")
    assert "v2" in body and fields["x-cache-status"] == "HIT"
    assert hits(PUBLIC, "/da/politik/") == 2  # the first visit and the refresh: no visitor waited on a miss


def head_only(cache, host, path, *headers) -> dict:
    """The response headers of a GET (the body may be compressed bytes: not decoded)."""
    port = cache["https"]
    result = subprocess.run(
        ["curl", "-sk", "-o", "/dev/null", "-D", "-", "--resolve", f"{host}:{port}:127.0.0.1"]
        + [f"https://{host}:{port}{path}"]
        + [arg for header in headers for arg in ("-H", header)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    lines = result.stdout.replace("\r\n", "\n").split("\n")
    return {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:] if ": " in line)}


def test_public_pages_are_compressed_for_clients_that_accept_it_and_the_app_host_never(cache):
    plain = head_only(cache, PUBLIC, "/long/page/")
    gzipped = head_only(cache, PUBLIC, "/long/page/", "Accept-Encoding: gzip")
    assert "content-encoding" not in plain
    assert gzipped["content-encoding"] == "gzip" and "Accept-Encoding" in gzipped.get("vary", "")
    assert gzipped["x-cache-status"] == "HIT"  # one cached copy serves both
    assert App.encodings[(PUBLIC, "/long/page/")] is None  # the cache asked the app for identity
    # The app host: personal data beside what a user typed is never compressed (BREACH).
    app = head_only(cache, APP, "/long/portal/", "Accept-Encoding: gzip")
    assert "content-encoding" not in app
