"""/healthz tells the load balancer whether this app server can serve: 200 or 503, as JSON."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from quartier import health

pytestmark = pytest.mark.django_db

# A Redis where nothing listens: the portal's cache backend forgives it (quartier/cache.py).
REDIS_DOWN = {
    "default": {"BACKEND": "quartier.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/9"}
}


@task()
def waiting_task() -> None:
    """Only ever queued here, never run."""


@pytest.fixture(autouse=True)
def _database_queue(settings):
    """The portal's queue, in the database (the other tests run tasks at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthy_answers_200_with_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Robots-Tag"] == "noindex"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "task_queue"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["task_queue"]["ready"] == 0
    assert body["checks"]["task_queue"]["oldest_ready_seconds"] is None
    assert reverse("healthz") == "/healthz"


def test_answers_a_load_balancer_that_asks_by_address(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_touches_no_session_sets_no_cookie_and_is_never_cached(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    for _ in range(2):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert not response.cookies, "no Set-Cookie (neither session nor CSRF)"
        assert "no-store" in response["Cache-Control"]
        assert "X-Page-Cache" not in response
    assert not Session.objects.exists()


def test_a_signed_in_session_is_not_read(client):
    user = get_user_model().objects.create_user("probe", "probe@example.org", "x" * 12)
    client.force_login(user)
    response = client.get("/healthz")
    assert response.status_code == 200
    # Django adds "Vary: Cookie" as soon as anything reads the session.
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_the_backlog_of_the_task_queue_is_told_but_fails_nothing(client):
    waiting_task.enqueue()
    waiting_task.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=90))
    # A retry due only later is not ready yet.
    waiting_task.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue()
    response = client.get("/healthz")
    assert response.status_code == 200
    queue = response.json()["checks"]["task_queue"]
    assert queue["ok"] is True
    assert queue["backend"] == "DatabaseBackend"
    assert queue["ready"] == 2
    assert 90 <= queue["oldest_ready_seconds"] < 150


def test_a_database_that_does_not_answer_is_503(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "ensure_connection", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["task_queue"]["ok"] is False, "its table is in the database"
    assert body["checks"]["cache"]["ok"] is True
    assert "refused" not in response.content.decode(), "no error text for the outside"


def test_a_redis_that_does_not_answer_is_503(client, settings):
    settings.CACHES = REDIS_DOWN
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_the_checks_really_query(client, django_assert_num_queries):
    # SELECT 1, and the backlog of the task queue; nothing else (no session, no page cache).
    with django_assert_num_queries(2):
        assert client.get("/healthz").status_code == 200


def test_only_reads(client):
    assert client.post("/healthz").status_code == 405
