"""``/healthz``: whether this app server can serve, for the load balancer and the monitoring.

It answers JSON, 200 when every check passes and 503 when one fails, and names each check with
its time in milliseconds. It touches no session and sets no cookie (a load balancer asks every
few seconds: it must not fill the session table), and it is never cached, neither by the page
cache nor by a proxy. It tells nothing secret: no host names, versions or error texts, only
which check failed (the log has the cause).
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise DatabaseError("SELECT 1 did not answer 1")


def _cache() -> None:
    # The portal's Redis backend hides a Redis that does not answer (quartier/cache.py): a value
    # that does not come back is how this check sees it.
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise ConnectionError("the cache did not return what was stored")
    finally:
        cache.delete(key)


CHECKS = {"database": _database, "cache": _cache}


@require_safe
@never_cache
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception:  # any failure is the answer, not an error of this page
            logger.exception("Health check %s failed", name)
            ok = False
        else:
            ok = True
        results[name] = {
            "ok": ok,
            "milliseconds": round((time.perf_counter() - started) * 1000, 1),
        }
    healthy = all(result["ok"] for result in results.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
