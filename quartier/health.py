"""``/healthz``: whether this app server can serve, for the load balancer and the monitoring.

It answers JSON, 200 when every check passes and 503 when one fails, and names each check with
its time in milliseconds: the database, the cache and the task queue. For the task queue it
also tells how many tasks are ready to run and for how many seconds the oldest of them has
waited (``ready``, ``oldest_ready_seconds``): a backlog that grows means no worker runs
(`manage.py db_worker`), which the monitoring should tell someone, but this app server can
serve all the same, so it does not fail the check.

It touches no session and sets no cookie (a load balancer asks every few seconds: it must not
fill the session table), and it is never cached, neither by the page cache nor by a proxy. It
tells nothing secret: no host names, versions or error texts, only which check failed (the log
has the cause).
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

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


def _task_queue() -> dict:
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        # A queue in Redis (README) is the cache's server, which the cache check asks.
        return {"backend": type(backend).__name__}
    # A task without a time to run after has waited since it was enqueued, a retry since its
    # time came.
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    backlog = (
        DBTaskResult.objects.filter(backend_name=backend.alias)
        .ready()
        .aggregate(ready=Count("pk"), oldest=Min(waiting_since))
    )
    oldest = backlog["oldest"]
    return {
        "backend": type(backend).__name__,
        "ready": backlog["ready"],
        "oldest_ready_seconds": (
            round((timezone.now() - oldest).total_seconds()) if oldest is not None else None
        ),
    }


CHECKS = {"database": _database, "cache": _cache, "task_queue": _task_queue}


PATH = "/healthz"


class HealthCheckMiddleware:
    """Answers ``/healthz`` before the session, the language, CSRF and the host are looked at.

    After SecurityMiddleware (which leaves ``/healthz`` on plain HTTP, SECURE_REDIRECT_EXEMPT)
    and before SessionMiddleware in settings.MIDDLEWARE: no middleware after it can read a
    session, set a cookie or serve the page cache. Nor is the Host checked against
    ALLOWED_HOSTS, so that a load balancer may ask by the app server's own address; the
    answer holds no address to be misled by one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH:
            return healthz(request)
        return self.get_response(request)


@require_safe
@never_cache
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            details = check() or {}
        except Exception:  # any failure is the answer, not an error of this page
            logger.exception("Health check %s failed", name)
            ok, details = False, {}
        else:
            ok = True
        results[name] = {
            "ok": ok,
            "milliseconds": round((time.perf_counter() - started) * 1000, 1),
            **details,
        }
    healthy = all(result["ok"] for result in results.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
