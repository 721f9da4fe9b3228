"""/healthz tells the load balancer whether this app server can serve: 200 or 503, as JSON."""

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.urls import reverse

from quartier import health

pytestmark = pytest.mark.django_db


def test_healthy_answers_200_with_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache"}
    assert all(check["ok"] for check in body["checks"].values())
    assert reverse("healthz") == "/healthz"


def test_touches_no_session_sets_no_cookie_and_is_never_cached(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    for _ in range(2):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert not response.cookies, "no Set-Cookie"
        assert "no-store" in response["Cache-Control"]
        assert "X-Page-Cache" not in response
    assert not Session.objects.exists()


def test_a_database_that_does_not_answer_is_503(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["cache"]["ok"] is True
    assert "refused" not in response.content.decode(), "no error text for the outside"


def test_a_cache_that_loses_what_it_stored_is_503(client, monkeypatch):
    monkeypatch.setattr(health.cache, "get", lambda key, default=None: default)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


def test_the_database_check_really_queries(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200


def test_only_reads(client):
    assert client.post("/healthz").status_code == 405
