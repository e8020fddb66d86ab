#!/usr/bin/env bash
# Production rehearsal (`make rehearsal`, .ci/run): boots the shipped production stack on this machine and
# checks it over HTTPS as an outside client would (scripts/rehearsal_checks.py). Under five minutes.
#
# PostgreSQL (the running one: a fresh database, owner postgres, the app as role ansatte_app), a throwaway
# Redis, two gunicorn app servers with config.settings.production, the shipped nginx
# (site/deploy/nginx.conf, rendered by tests/config/nginx_site.py: only ports, certificates and paths moved) with a
# self-signed certificate and its page cache, moto's S3 server for the HR files, ClamAV's clamd
# (when installed), the job worker and an SMTP sink. The release itself runs through
# scripts/release.py, as an operator's would. Everything it starts is stopped on exit (trap).
#
#     bash scripts/rehearsal.sh                 boot the stack, run the checks
#     bash scripts/rehearsal.sh CMD [ARG...]    boot the same stack, run CMD instead of the checks (with the
#                                               checks' REHEARSAL_* environment), stop everything: the
#                                               page-cache benchmark (python -m benchmarks.cache) runs so
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BIN="$ROOT/.venv/bin"
PY="$BIN/python"
RUN="$(mktemp -d /tmp/ansatte-rehearsal.XXXXXX)"
DB="ansatte_rehearsal_$(date +%s)_$$"
PUBLIC_HOST=ansatte.dk
APP_HOST=app.ansatte.dk
STEP="start"
PIDS=()
START=$(date +%s)
# The app never holds the owner's URL (make exports one when given a PostgreSQL DATABASE_URL).
unset DATABASE_OWNER_URL

step() { STEP="$1"; echo "=== rehearsal [$(( $(date +%s) - START ))s] $1"; }
fail() { echo "REHEARSAL FAILED at step: $STEP: $*" >&2; exit 1; }
cleanup() {
    rc=$?
    trap - EXIT INT TERM
    if [ $rc -ne 0 ]; then
        echo "REHEARSAL FAILED at step: $STEP (exit code $rc); last lines of the logs in $RUN/log:" >&2
        for f in "$RUN"/log/* "$RUN"/nginx/logs/*; do [ -s "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
    fi
    [ -f "$RUN/nginx/nginx.pid" ] && kill "$(cat "$RUN/nginx/nginx.pid")" 2>/dev/null || true
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 20); do
        alive=0; for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break; sleep 0.25
    done
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    [ $rc -eq 0 ] && rm -rf "$RUN"
    echo "=== rehearsal [$(( $(date +%s) - START ))s] stopped everything it started; exit $rc"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() {  # wait_for <what> <seconds> <command...>
    local what=$1 seconds=$2; shift 2
    for _ in $(seq 1 $((seconds * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
    fail "$what did not come up within ${seconds}s"
}
free_ports() {  # free_ports N: N TCP ports free on 127.0.0.1 now (other workers share this machine)
    "$PY" -c "
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(('127.0.0.1', 0))
print(' '.join(str(s.getsockname()[1]) for s in socks))" "$1"
}
mkdir -p "$RUN"/{log,cache,media,private,tls,clamd,clamdb,www,tmp}
chmod 755 "$RUN"

step "tools"
for tool in nginx openssl psql redis-server curl; do command -v $tool >/dev/null || fail "$tool is not installed"; done
[ -x "$BIN/moto_server" ] || fail "moto_server missing (make install)"
"$PY" -c "import flask, requests, pyotp, boto3" || fail "the dev dependencies are missing (make install)"
pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL is not answering on 127.0.0.1:5432"
read -r HTTPS_PORT HTTP_PORT APP1 APP2 S3_PORT SMTP_PORT REFRESH_PORT REDIS_PORT <<<"$(free_ports 8)"

step "Redis on port $REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$RUN/tmp" \
    > "$RUN/log/redis.log" 2>&1 & PIDS+=($!)
wait_for "redis" 10 redis-cli -p "$REDIS_PORT" ping

step "environment (/etc/ansatte/ansatte.env stand-in) and secrets"
key() { "$PY" -c "import os,base64;print(base64.b64encode(os.urandom(32)).decode())"; }
cat > "$RUN/ansatte.env" <<ENV
DJANGO_SETTINGS_MODULE=config.settings.production
PUBLIC_ORIGIN=https://$PUBLIC_HOST:$HTTPS_PORT
APP_ORIGIN=https://$APP_HOST:$HTTPS_PORT
DJANGO_ALLOWED_HOSTS=$PUBLIC_HOST,$APP_HOST
DJANGO_CSRF_TRUSTED_ORIGINS=https://$PUBLIC_HOST:$HTTPS_PORT,https://$APP_HOST:$HTTPS_PORT
TRUSTED_PROXIES=127.0.0.1
DJANGO_SECRET_KEY=$(key)$(key)
ENCRYPTION_MASTER_KEYS=k1:$(key)
BLIND_INDEX_MASTER_KEY=$(key)
AUDIT_CHAIN_KEY=$(key)
DATABASE_URL=postgres://ansatte_app@127.0.0.1:5432/$DB
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
FRONTEND_CACHE_PURGE_URL=http://127.0.0.1:$REFRESH_PORT
MEDIA_ROOT=$RUN/media
PRIVATE_STORAGE_ROOT=$RUN/private
DOCUMENTS_S3_BUCKET=ansatte-rehearsal-documents
DOCUMENTS_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
DOCUMENTS_S3_REGION=eu-central-1
DOCUMENTS_S3_ACCESS_KEY_ID=rehearsal
DOCUMENTS_S3_SECRET_ACCESS_KEY=rehearsal-secret
EMAIL_HOST=127.0.0.1
EMAIL_PORT=$SMTP_PORT
EMAIL_USE_TLS=False
SMS_BACKEND=hrportal.accounts.sms.ConsoleSMSBackend
LOG_LEVEL=INFO
SIGNING_SEAL_KEY_FILE=$RUN/seal/seal.key
SIGNING_SEAL_CERT_FILE=$RUN/seal/seal.crt
ENV
DJANGO_SETTINGS_MODULE=config.settings.dev "$PY" manage.py create_seal_certificate "$RUN/seal" --name "Ansatte rehearsal seal" >/dev/null
if [ -x /usr/sbin/clamd ] && command -v sigtool >/dev/null; then
    CLAMAV=1
    echo "CLAMAV_SOCKET=$RUN/clamd/clamd.ctl" >> "$RUN/ansatte.env"
else
    CLAMAV=0
    echo "VIRUS_SCAN=off" >> "$RUN/ansatte.env"
    echo "ClamAV is not installed: the rehearsal runs without the virus scan"
fi
set -a; . "$RUN/ansatte.env"; set +a
# Only the release step sees the owner (/etc/ansatte/owner.env in production).
OWNER_URL="postgres://postgres@127.0.0.1:5432/$DB"

step "fresh database $DB"
psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $DB" || fail "cannot create $DB"

step "the shipped nginx config (site/deploy/nginx.conf: only certificates, ports, logs and the cache moved) and nginx -t"
NGINX_DIR="$RUN/nginx"; mkdir -p "$NGINX_DIR"
PYTHONPATH="$ROOT" "$PY" -c "
import sys; from pathlib import Path; from tests.config.nginx_site import shipped_nginx
shipped_nginx(Path(sys.argv[1]), ports={80: int(sys.argv[2]), 443: int(sys.argv[3]), 6081: int(sys.argv[4])})
" "$NGINX_DIR" "$HTTP_PORT" "$HTTPS_PORT" "$REFRESH_PORT" || fail "cannot render the shipped nginx config"
# One certificate naming every host (a client checks the subjectAltName), where certbot's would be.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$PUBLIC_HOST" \
    -addext "subjectAltName=DNS:$PUBLIC_HOST,DNS:www.$PUBLIC_HOST,DNS:$APP_HOST" \
    -keyout "$RUN/tls/privkey.pem" -out "$RUN/tls/fullchain.pem" 2>"$RUN/log/openssl.log"
for live in "$NGINX_DIR"/live/*/; do cp "$RUN/tls/privkey.pem" "$RUN/tls/fullchain.pem" "$live"; done
sed -i -e "s#server 127.0.0.1:8001;#server 127.0.0.1:$APP1;#" -e "s#server 127.0.0.1:8002;#server 127.0.0.1:$APP2;#" \
    -e "s#/srv/ansatte/var/media/#$RUN/media/#g" "$NGINX_DIR/ansatte.conf"
grep -q "server 127.0.0.1:$APP2;" "$NGINX_DIR/ansatte.conf" || fail "the shipped upstream does not list two app servers"
NGINX=(nginx -p "$NGINX_DIR" -e "$NGINX_DIR/logs/error.log" -c "$NGINX_DIR/nginx.conf")
"${NGINX[@]}" -t > "$RUN/log/nginx-t.log" 2>&1 || fail "nginx -t: $(cat "$RUN/log/nginx-t.log")"
echo "nginx -t: the shipped config is valid"

step "release (scripts/release.py --first-editor, migrate as the owner)"
DATABASE_OWNER_URL="$OWNER_URL" "$PY" scripts/release.py --first-editor ops@ansatte.test \
    > "$RUN/log/release.log" 2>&1 || fail "$(tail -n 20 "$RUN/log/release.log")"
grep -q "TOTP secret" "$RUN/log/release.log" || fail "release did not enrol the first editor's authenticator"

step "moto S3 server and the documents bucket (versioning on)"
"$BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT" > "$RUN/log/moto.log" 2>&1 & PIDS+=($!)
wait_for "moto_server" 30 curl -sf "http://127.0.0.1:$S3_PORT/moto-api/"
"$PY" - <<PYEOF || fail "cannot create the bucket"
import boto3
s3 = boto3.client("s3", endpoint_url="$DOCUMENTS_S3_ENDPOINT_URL", region_name="eu-central-1",
                  aws_access_key_id="rehearsal", aws_secret_access_key="rehearsal-secret")
s3.create_bucket(Bucket="$DOCUMENTS_S3_BUCKET", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
s3.put_bucket_versioning(Bucket="$DOCUMENTS_S3_BUCKET", VersioningConfiguration={"Status": "Enabled"})
PYEOF

step "SMTP sink"
"$PY" scripts/rehearsal_smtp.py "$SMTP_PORT" > "$RUN/log/smtp.log" 2>&1 & PIDS+=($!)
wait_for "SMTP sink" 15 "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)"

# The demo stores sealed documents in the bucket and sends mail: after S3 and the SMTP sink.
step "demo content (seed_demo --allow-production-demo, scratch database only)"
"$PY" manage.py seed_demo --allow-production-demo > "$RUN/log/seed.log" 2>&1 || fail "$(tail -n 20 "$RUN/log/seed.log")"
# The demo seed may leave the Site on its own host name: the first release's host names must hold.
"$PY" scripts/release.py --site-only >> "$RUN/log/release.log" 2>&1 || fail "$(tail -n 20 "$RUN/log/release.log")"

if [ $CLAMAV = 1 ]; then
    step "clamd (a local EICAR signature, no freshclam)"
    printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' > "$RUN/tmp/eicar.com"
    (cd "$RUN/tmp" && sigtool --md5 eicar.com > "$RUN/clamdb/eicar.hdb")
    # Debian's clamav-daemon runs in production (site/deploy/README.md); here a clamd of the same package with
    # a throwaway socket and signature folder.
    cat > "$RUN/clamd.conf" <<CLAMD
LocalSocket $RUN/clamd/clamd.ctl
DatabaseDirectory $RUN/clamdb
Foreground yes
LogFile $RUN/log/clamd.log
StreamMaxLength 25M
MaxFileSize 25M
CLAMD
    [ "$(id -u)" = 0 ] && echo "User root" >> "$RUN/clamd.conf"
    /usr/sbin/clamd --config-file="$RUN/clamd.conf" > "$RUN/log/clamd-stdout.log" 2>&1 & PIDS+=($!)
    wait_for "clamd" 60 test -S "$RUN/clamd/clamd.ctl"
fi

step "two gunicorn app servers as ansatte-web@.service starts them (config.settings.production, 2 workers each)"
"$BIN/gunicorn" -c site/deploy/gunicorn.conf.py --workers 2 --bind 127.0.0.1:$APP1 config.wsgi \
    > "$RUN/log/gunicorn-1.log" 2>&1 & APP1_PID=$!; PIDS+=($APP1_PID)
"$BIN/gunicorn" -c site/deploy/gunicorn.conf.py --workers 2 --bind 127.0.0.1:$APP2 config.wsgi \
    > "$RUN/log/gunicorn-2.log" 2>&1 & PIDS+=($!)
for port in $APP1 $APP2; do
    wait_for "app server on $port" 60 curl -sf -H "Host: $APP_HOST:$HTTPS_PORT" -H "X-Forwarded-Proto: https" \
        "http://127.0.0.1:$port/readyz"
done

# Each worker renders its first pages slowly (templates, Wagtail's trees): warm them as a load balancer's
# health checks would, so the timings below measure the stack, not a cold start.
for port in $APP1 $APP2; do
    for path in /da/ /en/ /da/ /en/ /da/ /en/; do
        curl -s -o /dev/null -H "Host: $PUBLIC_HOST:$HTTPS_PORT" -H "X-Forwarded-Proto: https" "http://127.0.0.1:$port$path"
    done
done

step "job worker"
"$PY" manage.py db_worker --backend jobs --queue-name '*' --no-reload > "$RUN/log/worker.log" 2>&1 & PIDS+=($!)

step "nginx"
"${NGINX[@]}" || fail "nginx did not start"
wait_for "nginx" 10 curl -sf --cacert "$RUN/tls/fullchain.pem" --resolve "$APP_HOST:$HTTPS_PORT:127.0.0.1" \
    "https://$APP_HOST:$HTTPS_PORT/readyz"

export REHEARSAL_CA="$RUN/tls/fullchain.pem" REHEARSAL_HTTPS_PORT="$HTTPS_PORT" REHEARSAL_HTTP_PORT="$HTTP_PORT" \
    REHEARSAL_PUBLIC_HOST="$PUBLIC_HOST" REHEARSAL_APP_HOST="$APP_HOST" REHEARSAL_APP1_PID="$APP1_PID" \
    REHEARSAL_CLAMAV=$CLAMAV REHEARSAL_CLAMD_LOG="$RUN/log/clamd.log" REHEARSAL_LOG_DIR="$RUN/log" \
    REHEARSAL_NGINX_DIR="$NGINX_DIR"
if [ -n "${REHEARSAL_HOLD:-}" ]; then  # debugging: keep the stack up, with the checks' environment saved
    export -p > "$RUN/checks.env"; echo "holding for ${REHEARSAL_HOLD}s: . $RUN/checks.env"; sleep "$REHEARSAL_HOLD"
fi
if [ $# -gt 0 ]; then
    step "in place of the checks: $*"
    "$@" || { STEP="$* (exit code $?)"; exit 1; }
    step "done in $(( $(date +%s) - START ))s"
    exit 0
fi
step "checks over HTTPS as an outside client (scripts/rehearsal_checks.py)"
"$PY" scripts/rehearsal_checks.py || { STEP="checks (the failed check is named above)"; exit 1; }

step "passed in $(( $(date +%s) - START ))s"
