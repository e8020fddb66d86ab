"""The shipped site/deploy/nginx.conf, made runnable in a temporary folder: self-signed certificates where
certbot's would be, logs and the page cache in the folder, and (for a live run) free ports instead of 80,
443 and 6081 and a given app server instead of gunicorn. Only those values change, so what is checked is
the shipped file."""

import os
import re
import subprocess
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "site" / "deploy"


def shipped_nginx(tmp_path: Path, ports: dict[int, int] | None = None, upstream: str | None = None) -> Path:
    """Write the runnable configuration and return the path of its top-level nginx.conf."""
    conf = (DEPLOY / "nginx.conf").read_text()
    for host in sorted(set(re.findall(r"/etc/letsencrypt/live/([^/]+)/", conf))):
        live = tmp_path / "live" / host
        live.mkdir(parents=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            + ["-days", "1", "-subj", f"/CN={host}"]
            + ["-keyout", str(live / "privkey.pem"), "-out", str(live / "fullchain.pem")],
            check=True,
            capture_output=True,
            timeout=30,
        )
    (tmp_path / "logs").mkdir()
    (tmp_path / "cache").mkdir()
    conf = (
        conf.replace("/etc/letsencrypt/live/", f"{tmp_path}/live/")
        .replace("/var/log/nginx/", f"{tmp_path}/logs/")
        .replace("/var/cache/nginx/", f"{tmp_path}/cache/")
    )
    for shipped, free in (ports or {}).items():
        conf = re.sub(rf"(listen (?:\[::\]:|127\.0\.0\.1:)?){shipped}\b", rf"\g<1>{free}", conf)
    if upstream:
        # Every shipped app server becomes the one given (a stand-in app or a test's server).
        conf = re.sub(r"(    server 127\.0\.0\.1:800\d;\n)+", f"    server {upstream};\n", conf)
    (tmp_path / "ansatte.conf").write_text(conf)
    # Debian's nginx runs its workers as www-data; as root here, the workers must write the cache in tmp_path.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\nevents {{}}\n"
        f"http {{\n    include {tmp_path}/ansatte.conf;\n}}\n"
    )
    return tmp_path / "nginx.conf"


def nginx_command(tmp_path: Path, *args: str) -> list[str]:
    return ["nginx", "-p", str(tmp_path), "-e", str(tmp_path / "logs" / "error.log"), *args]
