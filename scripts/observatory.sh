#!/usr/bin/env bash
# Grade both hosts with the MDN HTTP Observatory CLI against a local production run behind TLS (issue #12).
# Not part of CI: it needs root (port 443, /etc/hosts), the npm registry and PostgreSQL and Redis running.
# Prints each host's grade and score; docs/security.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${OBSERVATORY_WORK:-/tmp/ansatte-observatory}"
mkdir -p "$WORK/tls"
grep -q " app.ansatte.test" /etc/hosts || echo "127.0.0.1 ansatte.test app.ansatte.test" >> /etc/hosts

# A certificate for both names, trusted by the scanner (it reads its extra CAs from one bundle file).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ansatte.test" \
    -addext "subjectAltName=DNS:ansatte.test,DNS:app.ansatte.test" \
    -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null
if [ ! -x "$WORK/node_modules/.bin/mdn-http-observatory-scan" ]; then
    # --ignore-scripts: its install step downloads the HSTS preload and CA lists, which a closed network refuses.
    (cd "$WORK" && npm install --silent --ignore-scripts @mdn/mdn-http-observatory)
fi
PKG="$WORK/node_modules/@mdn/mdn-http-observatory"
[ -f "$PKG/conf/hsts-preload.json" ] || echo '{}' > "$PKG/conf/hsts-preload.json"
mkdir -p "$WORK/node_modules/node_extra_ca_certs_mozilla_bundle/ca_bundle"
cp "$WORK/tls/cert.pem" "$WORK/node_modules/node_extra_ca_certs_mozilla_bundle/ca_bundle/ca_intermediate_bundle.pem"

b64() { python3 -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"; }
export DJANGO_SETTINGS_MODULE=config.settings.production
export DJANGO_SECRET_KEY="$(b64)$(b64)"
export DJANGO_ALLOWED_HOSTS=ansatte.test,app.ansatte.test
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/ansatte_observatory"
export ENCRYPTION_MASTER_KEYS="k1:$(b64)" BLIND_INDEX_MASTER_KEY="$(b64)" AUDIT_CHAIN_KEY="$(b64)"
export REDIS_URL=redis://127.0.0.1:6379/7
export PUBLIC_ORIGIN=https://ansatte.test APP_ORIGIN=https://app.ansatte.test
export VIRUS_SCAN="${VIRUS_SCAN:-off}"
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS ansatte_observatory" -c "CREATE DATABASE ansatte_observatory"
redis-cli -n 7 flushdb >/dev/null
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py shell -c "from django.conf import settings; settings.DEMO_SEED_ALLOWED = True
from django.core.management import call_command; call_command('seed_demo', verbosity=0)"
.venv/bin/gunicorn config.wsgi -b 127.0.0.1:443 -w 2 --certfile "$WORK/tls/cert.pem" --keyfile "$WORK/tls/key.pem" \
    >"$WORK/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 4
for host in ansatte.test app.ansatte.test; do
    "$WORK/node_modules/.bin/mdn-http-observatory-scan" "$host" >"$WORK/$host.json"
    python3 -c "import json, sys; s = json.load(open(sys.argv[1]))['scan']; print(sys.argv[2], s['grade'], s['score'])" \
        "$WORK/$host.json" "$host"
done
