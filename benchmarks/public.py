"""Public pages against the Django "ok" floor, with and without the app's page cache (issue 20).

    .venv/bin/python -m benchmarks.public [--rounds 3] [--seconds 4]

Boots the production rehearsal's stack (scripts/rehearsal.sh CMD: PostgreSQL with the demo content, Redis,
production settings and environment) and runs itself inside it. There it starts three gunicorn servers with
the shipped gunicorn.conf.py and 2 sync workers each, on the same machine, database and Redis:

- floor: Django's "ok" view with production settings and no middleware (benchmarks/floor.py);
- uncached: the product with its page cache off (PUBLIC_PAGE_APP_CACHE=False): every request renders;
- cached: the product as shipped, its page cache on (cms_pages/page_cache.py).

`wrk` talks to each directly (no nginx, no TLS: the app's own cost), naming the public host, in
interleaved rounds: every round measures the floor first and last (its mean is the round's floor), and
between them /healthz and each page on both product servers, the order reversed every other round, so each
side sees the same machine load. A page's figure per round is its
requests per second over the floor's in the same round; the server's CPU time per request (its workers'
user + system time over the run, from /proc) is the second, load-independent figure. The results go into
docs/performance.md between the PUBLIC-BENCHMARK markers.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import ROOT, children_cpu_seconds, free_port, in_rehearsal, write_block

START, END = "<!-- PUBLIC-BENCHMARK:START -->", "<!-- PUBLIC-BENCHMARK:END -->"
SECTION = "## Public pages against the Django floor (issue 20)\n\n"
COMMAND = ".venv/bin/python -m benchmarks.public"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (at least 3)")
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    options = parser.parse_args(argv)
    if options.rounds < 3:
        parser.error("--rounds must be at least 3")
    return options


class Server:
    """One gunicorn (shipped config, 2 sync workers) with its own settings and environment changes."""

    def __init__(self, name: str, settings: str, **environ: str):
        self.name = name
        self.port = free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, **environ}
        log = Path(os.environ["REHEARSAL_LOG_DIR"]) / f"bench-{name}.log"
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "-c",
                "site/deploy/gunicorn.conf.py",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def cpu_seconds(self) -> float:
        """CPU time of the workers so far (the master does no request work)."""
        return children_cpu_seconds(self.process.pid)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def get(server: Server, path: str):
    import requests

    return requests.get(
        server.url(path),
        headers={"Host": os.environ["REHEARSAL_PUBLIC_HOST"], "X-Forwarded-Proto": "https"},
        allow_redirects=False,
        timeout=30,
    )


def wait_up(server: Server, path: str) -> None:
    for _ in range(240):
        try:
            if get(server, path).status_code == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"{server.name} did not answer {path} within 60 s")


def pages(server: Server) -> dict[str, str]:
    """The demo's pages of each kind, found by following the site's own links from the Danish home page."""
    home = get(server, "/da/").text

    def first(pattern: str, html: str, what: str) -> str:
        found = re.search(pattern, html, re.DOTALL)
        if not found:
            raise SystemExit(f"no {what} link found")
        return found.group(1)

    policy = first(r'href="(/da/[^"]*privatliv[^"]*/)"', home, "privacy policy")
    history = first(r'href="(/da/[^"]*/versioner/)"', get(server, policy).text, "version history")
    compare = first(r'href="(/da/[^"]*/versioner/[a-z-]+/\d+/\d+/)"', get(server, history).text, "comparison")
    index = first(r'href="(/da/(?:viden|artikler|nyheder)[^"]*/)"', home, "article index")
    article = first(rf'href="({re.escape(index)}[^"]+/)"', get(server, index).text, "article")
    search = "/da/soeg/?q=ferie"  # config/urls.py's site_search, in Danish
    return {
        "home": "/da/",
        "policy": policy,
        "history": history,
        "comparison": compare,
        "article": article,
        "search results": search,
    }


def wrk(server: Server, path: str, options) -> dict:
    cpu_before = server.cpu_seconds()
    out = subprocess.run(  # noqa: S603
        [  # noqa: S607 - Debian's wrk, checked on PATH by main()
            "wrk",
            f"-t{options.threads}",
            f"-c{options.connections}",
            f"-d{options.seconds}s",
            "-H",
            f"Host: {os.environ['REHEARSAL_PUBLIC_HOST']}",
            "-H",
            "X-Forwarded-Proto: https",
            server.url(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    text = out.stdout
    cpu = server.cpu_seconds() - cpu_before
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    if "Non-2xx" in text or "Socket errors" in text:
        raise SystemExit(f"wrk saw errors on {server.name} {path}:\n{text}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1)),
        "cpu_ms": cpu / requests * 1000,
    }


def measure(options) -> dict:
    floor = Server("floor", "benchmarks.floor")
    uncached = Server("uncached", "config.settings.production", PUBLIC_PAGE_APP_CACHE="False")
    cached = Server("cached", "config.settings.production", PUBLIC_PAGE_APP_CACHE="True")
    try:
        wait_up(floor, "/")
        wait_up(uncached, "/da/")
        wait_up(cached, "/da/")
        paths = pages(uncached)
        print("pages:", paths, flush=True)
        for path in paths.values():
            for _ in range(3):  # warm templates and fragments in both workers; fill the page cache
                assert get(uncached, path).status_code == 200, path
                get(cached, path)
            hit = get(cached, path)
            cacheable = "?" not in path
            if cacheable and hit.headers.get("X-App-Cache") != "hit":
                raise SystemExit(f"{path} is not a hit on the cached server: {hit.headers}")
            if get(uncached, path).headers.get("X-App-Cache"):
                raise SystemExit(f"{path}: the uncached server used its page cache")
        jobs = [("floor", floor, "/"), ("healthz", uncached, "/healthz")]
        for name, path in paths.items():
            jobs.append((f"{name}, rendered", uncached, path))
            if "?" not in path:
                jobs.append((f"{name}, page cache hit", cached, path))
        for _name, server, path in jobs:  # one short warm-up run each
            wrk(server, path, argparse.Namespace(**{**vars(options), "seconds": 1}))
        rounds = []
        for number in range(options.rounds):
            order = jobs if number % 2 == 0 else list(reversed(jobs))
            # The floor opens and closes every round: its mean is the round's yardstick.
            before = wrk(floor, "/", options)
            result = {name: wrk(server, path, options) for name, server, path in order if name != "floor"}
            after = wrk(floor, "/", options)
            result["floor"] = {key: (before[key] + after[key]) / 2 for key in before}
            floor_rps = result["floor"]["rps"]
            for figures in result.values():
                figures["ratio"] = figures["rps"] / floor_rps
            print(
                f"round {number + 1}: "
                + ", ".join(f"{name} {r['rps']:.0f}/s ({r['ratio']:.2f}×)" for name, r in result.items()),
                flush=True,
            )
            rounds.append(result)
        return {"rounds": rounds, "jobs": [name for name, _, _ in jobs], "paths": paths}
    finally:
        for server in (floor, uncached, cached):
            server.stop()


def write_doc(options, results) -> None:
    rounds = results["rounds"]

    def med(name, key):
        return statistics.median(r[name][key] for r in rounds)

    load1, load5, _ = os.getloadavg()
    lines = [
        f"Measured by `{COMMAND}` ({options.rounds} interleaved rounds of `wrk -t{options.threads}"
        f" -c{options.connections} -d{options.seconds}s` straight to gunicorn, 2 sync workers per server,"
        " shipped gunicorn.conf.py, config.settings.production, PostgreSQL and Redis of the rehearsal stack,"
        f" the demo content) on {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}; load average"
        f" {load1:.1f} (1 min) / {load5:.1f} (5 min) when it finished. wrk runs on the same two cores, so the"
        " absolute rates are low; the ratio to the floor in the same round is the result. The floor is"
        ' Django\'s "ok" view with the same settings and no middleware (benchmarks/floor.py).',
        "",
        "| request | requests/s (median) | × the floor (median of rounds; lowest) | server CPU per request |",
        "|---|---|---|---|",
    ]
    for name in results["jobs"]:
        ratios = [r[name]["ratio"] for r in rounds]
        lines.append(
            f"| {name} | {med(name, 'rps'):.0f} | **{statistics.median(ratios):.2f}×** ({min(ratios):.2f}×)"
            f" | {med(name, 'cpu_ms'):.2f} ms |"
        )
    compare = statistics.median(
        r["policy, rendered"]["rps"] / r["comparison, rendered"]["rps"] for r in rounds
    )
    lines += [
        "",
        f"The comparison page costs {compare:.2f}× the policy page (requests/s, policy over comparison,"
        " median of rounds; the bar is at most 2×). The issue's bars: rendered public pages at least 0.1×"
        " the floor, a page-cache hit at least 0.5×. Pages: "
        + ", ".join(f"{name} `{path}`" for name, path in results["paths"].items())
        + ". Search results carry a query string, which the page cache never keeps.",
    ]
    write_block(START, END, lines, SECTION)


def main(argv=None) -> int:
    options = parse_args(argv)
    booted = in_rehearsal("benchmarks.public", argv)
    if booted is not None:
        return booted
    results = measure(options)
    write_doc(options, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
