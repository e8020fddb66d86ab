"""Page cache benchmark (issue 15): a cache hit through the shipped nginx against the same nginx serving the
same HTML as a static file, side by side in one run, and publish-to-visible through the cache.

    .venv/bin/python -m benchmarks.cache [--rounds 6] [--seconds 5]

Boots the production rehearsal's stack (scripts/rehearsal.sh CMD: PostgreSQL, Redis, two gunicorn app
servers, the shipped nginx.conf with its page cache and TLS, the worker, ...) and runs itself inside it in
place of the checks, so the stack is booted by one piece of code. Inside, it saves the cached body of /da/
as a file, adds a server block to the running nginx that serves that file over the same TLS, certificate
and access log (a second port: the shipped server blocks stay as shipped), reloads nginx, and then runs
`wrk` in interleaved rounds (hit, static, then static, hit, ...), so both sides see the same machine load.
The ratio per round is hit / static requests per second. Then it publishes the Danish home page a few
times and polls through the cache until each edit shows (scripts/rehearsal_checks.py's own check).
The figures go into docs/performance.md between the CACHE-BENCHMARK markers.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from benchmarks import ROOT, children_cpu_seconds, free_port, in_rehearsal, write_block

START, END = "<!-- CACHE-BENCHMARK:START -->", "<!-- CACHE-BENCHMARK:END -->"
SECTION = "## Page cache: hit against static nginx\n\n"
COMMAND = ".venv/bin/python -m benchmarks.cache"
# wrk connects to the loopback but names the public host (SNI and Host), as a browser resolving it would:
# the shipped default server refuses a TLS handshake for any other name.
WRK_RESOLVE = 'wrk.resolve = function(host, service) wrk.addrs = wrk.lookup("127.0.0.1", service) end\n'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=6, help="interleaved rounds (at least 3)")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--publishes", type=int, default=3)
    options = parser.parse_args(argv)
    if options.rounds < 3:
        parser.error("--rounds must be at least 3")
    return options


def add_static_server(nginx_dir: Path, body: bytes) -> int:
    """Serve `body` as /da/ from a file in the running nginx, over the public host's TLS; returns the port."""
    static = nginx_dir / "bench-static"
    static.mkdir(exist_ok=True)
    (static / "da.html").write_bytes(body)
    port = free_port()
    shipped = (nginx_dir / "ansatte.conf").read_text()
    public = shipped[shipped.index("    server_name ansatte.dk;") :]
    cert = re.search(r"ssl_certificate (\S+);", public).group(1)
    key = re.search(r"ssl_certificate_key (\S+);", public).group(1)
    log = re.search(r"access_log (\S+) ansatte;", public).group(1)
    (nginx_dir / "bench-static.conf").write_text(
        "# benchmarks/cache.py: the cached page's body as a file, same TLS and log as the public host\n"
        "server {\n"
        f"    listen 127.0.0.1:{port} ssl http2;\n"
        "    server_name ansatte.dk;\n"
        f"    ssl_certificate {cert};\n"
        f"    ssl_certificate_key {key};\n"
        "    ssl_protocols TLSv1.2 TLSv1.3;\n"
        f"    access_log {log} ansatte;\n"
        "    location = /da/ {\n"
        '        default_type "text/html; charset=utf-8";\n'
        f"        root {static};\n"
        "        try_files /da.html =404;\n"
        "    }\n"
        "}\n"
    )
    main = nginx_dir / "nginx.conf"
    text = main.read_text()
    # After the shipped file, whose log format it uses.
    shipped_include = f"    include {nginx_dir / 'ansatte.conf'};\n"
    include = f"    include {nginx_dir / 'bench-static.conf'};\n"
    if include not in text:
        main.write_text(text.replace(shipped_include, shipped_include + include, 1))
    nginx = ["nginx", "-p", str(nginx_dir), "-e", str(nginx_dir / "logs" / "error.log"), "-c", str(main)]
    subprocess.run([*nginx, "-t"], check=True, capture_output=True)  # noqa: S603
    subprocess.run([*nginx, "-s", "reload"], check=True)  # noqa: S603
    return port


def nginx_cpu_seconds(nginx_dir: Path) -> float:
    """CPU time (user + system) of the running nginx's worker processes so far."""
    return children_cpu_seconds(int((nginx_dir / "nginx.pid").read_text().strip()))


def wrk(url: str, options, script: Path) -> dict:
    nginx_dir = Path(os.environ["REHEARSAL_NGINX_DIR"])
    cpu_before = nginx_cpu_seconds(nginx_dir)
    out = subprocess.run(  # noqa: S603
        [  # noqa: S607 - Debian's wrk, checked on PATH by main()
            "wrk",
            f"-t{options.threads}",
            f"-c{options.connections}",
            f"-d{options.seconds}s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    text = out.stdout
    cpu = nginx_cpu_seconds(nginx_dir) - cpu_before
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = sum(int(n) for n in errors.groups()) if errors else 0
    # A few read errors are connections nginx closed (keepalive_requests, a reload); more is a broken run.
    if "Non-2xx" in text or errors > requests / 1000:
        raise SystemExit(f"wrk saw errors on {url}:\n{text}")
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
    p50 = re.search(r"50%\s+([0-9.]+)(us|ms|s)\b", text)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    return {
        "rps": rps,
        "p50_ms": float(p50.group(1)) * scale,
        "cpu_us": cpu / requests * 1e6,
        "requests": requests,
        "errors": errors,
    }


def measure(options) -> dict:
    sys.path.insert(0, str(ROOT / "scripts"))
    import rehearsal_checks as checks  # the rehearsal's client, resolver and publish check

    nginx_dir = Path(os.environ["REHEARSAL_NGINX_DIR"])
    web = checks.client()
    for _ in range(3):
        web.get(f"{checks.PUBLIC}/da/")
    hit = web.get(f"{checks.PUBLIC}/da/")
    checks.ensure(hit.headers.get("X-Cache-Status") == "HIT", f"/da/ is not a hit: {hit.headers}")
    port = add_static_server(nginx_dir, hit.content)
    static_url = f"https://{checks.PUBLIC_HOST}:{port}/da/"
    hit_url = f"{checks.PUBLIC}/da/"
    for _ in range(40):
        try:
            same = web.get(static_url)
            break
        except OSError:
            time.sleep(0.25)
    else:
        checks.ensure(False, f"the static server block does not answer on {static_url}")
    checks.ensure(same.content == hit.content, "the static file is not the cached body")
    header_bytes = {
        "hit": sum(len(k) + len(v) + 4 for k, v in hit.headers.items()),
        "static": sum(len(k) + len(v) + 4 for k, v in same.headers.items()),
    }
    script = nginx_dir / "bench-resolve.lua"
    script.write_text(WRK_RESOLVE)
    wrk(hit_url, options, script)  # warm both (TLS session cache, page cache of the files)
    wrk(static_url, options, script)
    rounds = []
    for number in range(options.rounds):
        order = ("hit", "static") if number % 2 == 0 else ("static", "hit")
        result = {}
        for side in order:
            result[side] = wrk(hit_url if side == "hit" else static_url, options, script)
        still = web.get(hit_url).headers.get("X-Cache-Status")
        checks.ensure(still == "HIT", f"round {number + 1}: /da/ answered {still}, not from the cache")
        result["ratio"] = result["hit"]["rps"] / result["static"]["rps"]
        # nginx's own work per request, static over hit: 1.0 when a hit costs nginx what a file costs it.
        result["cpu_ratio"] = result["static"]["cpu_us"] / result["hit"]["cpu_us"]
        print(
            f"round {number + 1}: hit {result['hit']['rps']:.0f}/s, static {result['static']['rps']:.0f}/s,"
            f" ratio {result['ratio']:.2f}; nginx CPU per request hit {result['hit']['cpu_us']:.0f} µs,"
            f" static {result['static']['cpu_us']:.0f} µs",
            flush=True,
        )
        rounds.append(result)
    publishes = []
    for number in range(options.publishes):
        web.get(hit_url)
        seen = checks.publish_and_watch(f"Benchmark {number} {uuid.uuid4().hex[:12]}")
        print(f"publish {number + 1}: visible after {seen['elapsed']:.2f} s (first seen as {seen['status']})")
        publishes.append(seen)
    return {
        "rounds": rounds,
        "publishes": publishes,
        "body_bytes": len(hit.content),
        "header_bytes": header_bytes,
    }


def other_load() -> str:
    load1, load5, _ = os.getloadavg()
    return f"load average {load1:.1f} (1 min) / {load5:.1f} (5 min) when it finished"


def write_doc(options, results) -> None:
    ratios = [r["ratio"] for r in results["rounds"]]
    elapsed = [p["elapsed"] for p in results["publishes"]]
    lines = [
        f"Measured by `{COMMAND}` ({options.rounds} interleaved rounds of `wrk -t{options.threads}"
        f" -c{options.connections} -d{options.seconds}s`, keep-alive, HTTP/1.1 over TLS, no Accept-Encoding)"
        f" on {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}, with other helpers' test runs and"
        f" benchmarks sharing the machine ({other_load()}). Both sides are the same nginx process (the"
        " rehearsal's, site/deploy/nginx.conf as shipped, one worker): the hit is `/da/` through the public"
        " server block and its proxy_cache; the static side is a second server block on another port, with"
        " the same certificate, TLS settings and access log, serving the cached body"
        f" ({results['body_bytes']:,} bytes) from a file. Absolute rates vary with the load on this machine;"
        " the ratio per round depends on it less, since both sides of a round run back to back.",
        "",
        "| round | requests/s, hit / static | nginx CPU per request, static / hit"
        " | median latency, hit / static |",
        "|---|---|---|---|",
    ]
    for number, r in enumerate(results["rounds"], 1):
        latency = r["hit"]["p50_ms"] / r["static"]["p50_ms"]
        lines.append(f"| {number} | **{r['ratio']:.2f}×** | {r['cpu_ratio']:.2f}× | {latency:.2f}× |")
    lines += [
        "",
        f"Median ratio **{statistics.median(ratios):.2f}×** (lowest {min(ratios):.2f}×; the issue's bar is"
        " 0.8×). nginx's own CPU time per request (its workers' user + system time over each wrk run, from"
        " /proc), static over hit, has median"
        f" {statistics.median(r['cpu_ratio'] for r in results['rounds']):.2f}×: the share of a hit's cost"
        " that a file would cost, independent of how much of the machine wrk and the other helpers take."
        " The hit carries the app's headers (security headers, Cache-Control, X-Request-ID, X-Cache-Status:"
        f" {results['header_bytes']['hit']} bytes against {results['header_bytes']['static']} for the file).",
        "",
        f"Publish to visible through the cache, {len(elapsed)} publishes of the Danish home page (the time"
        " from the publish's commit to the first poll that sees the edit, polling every 20 ms):"
        f" {', '.join(f'{e:.2f} s' for e in elapsed)}; the bar is 1 s.",
    ]
    write_block(START, END, lines, SECTION)


def main(argv=None) -> int:
    options = parse_args(argv)
    booted = in_rehearsal("benchmarks.cache", argv)
    if booted is not None:
        return booted
    results = measure(options)
    write_doc(options, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
