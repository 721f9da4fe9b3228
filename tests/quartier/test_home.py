"""The home page: computed once per content version, yet never stale, not even as time passes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartier.site import views
from tests.actors.factories import ActorFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """What the view itself computes and keeps; the page cache would hide it."""
    settings.PAGE_CACHE_SECONDS = 0


def upcoming_titles(client) -> list[str]:
    return [event.title for event in client.get("/").context["upcoming_events"]]


def test_events_that_end_leave_the_coming_up_list_as_time_passes(client, monkeypatch):
    now = timezone.now()
    # One event a day, each lasting an hour, more than the page keeps at hand.
    for day in range(views.UPCOMING_KEPT + 3):
        start = now + datetime.timedelta(days=day, hours=1)
        EventFactory(title=f"Tag {day}", start=start, end=start + datetime.timedelta(hours=1))
    assert upcoming_titles(client) == ["Tag 0", "Tag 1", "Tag 2"]
    # Two days later, without any change of the content.
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(days=2, hours=3))
    assert upcoming_titles(client) == ["Tag 3", "Tag 4", "Tag 5"]
    # Later than every event the page kept at hand: asked anew.
    later = now + datetime.timedelta(days=views.UPCOMING_KEPT - 1, hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert upcoming_titles(client) == [
        f"Tag {day}" for day in range(views.UPCOMING_KEPT, views.UPCOMING_KEPT + 3)
    ]


def test_a_new_participant_shows_at_once(client):
    ActorFactory(name="Erste Stiftung")
    response = client.get("/")
    assert response.context["participant_count"] == 1
    ActorFactory(name="Zweite Stiftung")
    response = client.get("/")
    assert response.context["participant_count"] == 2
    assert "Zweite Stiftung" in response.content.decode()


def test_a_repeated_visit_reads_no_actor_or_event(client):
    ActorFactory()
    EventFactory(start=timezone.now() + datetime.timedelta(days=1))
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert len(response.context["upcoming_events"]) == 1
    tables = " ".join(query["sql"] for query in queries)
    assert "actors_actor" not in tables
    assert "events_event" not in tables
