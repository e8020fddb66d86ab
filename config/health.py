"""Liveness and readiness endpoints for the load balancer and the deploy scripts.

`healthz` touches nothing (the process answers); `readyz` checks the database is reachable and every
migration applied, so a half-migrated deploy is taken out of rotation, and reports Redis.

Redis down is "degraded" with 200, not 503: every instance shares the one Redis, so taking them out of
rotation would turn an outage of the cache into an outage of the site, which serves without it (only
rate-limited forms refuse, config/cache.py). Monitoring alerts on `"status" != "ok"`.
"""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.cache import redis_status


@transaction.non_atomic_requests
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@transaction.non_atomic_requests
@never_cache
def readyz(request):
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # any failure to reach the database means "not ready"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    if pending:
        return JsonResponse({"status": "unavailable", "pending_migrations": len(pending)}, status=503)
    redis = redis_status()
    status = "degraded" if redis == "unreachable" else "ok"
    return JsonResponse({"status": status, "database": "ok", "redis": redis})
