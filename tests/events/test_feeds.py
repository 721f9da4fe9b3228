"""The Atom feeds, read with feedparser as a feed reader would."""

import datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from quartier.links import absolute_url

from .factories import BERLIN, EventDocumentFactory, EventFactory, EventPhotoFactory

pytestmark = pytest.mark.django_db

EVENTS = "/veranstaltungen/feed/"
DOCUMENTATION = "/veranstaltungen/dokumentation/feed/"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_event_feed(client):
    review = EventFactory(
        title="Bilanzveranstaltung",
        start=datetime.datetime(2020, 12, 3, 10, 0, tzinfo=BERLIN),
        end=datetime.datetime(2020, 12, 3, 16, 0, tzinfo=BERLIN),
        summary="Bilanz & Ausblick <mit> Sonderzeichen.",
    )
    kick_off = EventFactory(
        title="Auftakt & Start",
        start=datetime.datetime(2020, 2, 20, 10, 0, tzinfo=BERLIN),
        end=datetime.datetime(2020, 2, 20, 17, 0, tzinfo=BERLIN),
    )
    feed = parse(client.get(EVENTS))
    assert feed.feed.title
    assert feed.feed.subtitle
    assert feed.feed.language == "de"
    assert feed.feed.link == absolute_url("/veranstaltungen/")
    # Newest first by start; titles and summaries come through as written.
    assert [entry.title for entry in feed.entries] == ["Bilanzveranstaltung", "Auftakt & Start"]
    entry = feed.entries[0]
    assert entry.link == absolute_url(review.get_absolute_url())
    assert entry.id == f"tag:gemeinsam-fuer-das-quartier,2020:event-{review.pk}"
    assert "Bilanz &amp; Ausblick &lt;mit&gt; Sonderzeichen." in entry.summary
    assert "3. Dezember 2020" in entry.summary
    assert "Berlin" in entry.summary
    assert entry.published_parsed is not None
    assert entry.updated_parsed is not None
    assert feed.entries[1].id.endswith(f"event-{kick_off.pk}")


def test_event_feed_leaves_out_drafts_and_marks_cancellations(client):
    EventFactory(title="Entwurf", status=Event.Status.DRAFT)
    EventFactory(title="Netzwerktreffen", status=Event.Status.CANCELLED)
    feed = parse(client.get(EVENTS))
    assert len(feed.entries) == 1
    (entry,) = feed.entries
    assert "Netzwerktreffen" in entry.title
    assert entry.title != "Netzwerktreffen"  # says that it is cancelled
    assert "Entwurf" not in str(feed)


def test_english_feed(client):
    event = EventFactory()
    feed = parse(client.get("/en" + EVENTS))
    assert feed.feed.language == "en"
    assert feed.entries[0].link == absolute_url(f"/en/veranstaltungen/{event.slug}/")
    # The same entry id in every language and on every host.
    german = parse(client.get(EVENTS, HTTP_HOST="localhost"))
    assert feed.entries[0].id == german.entries[0].id


def test_an_empty_feed_is_valid(client):
    assert parse(client.get(EVENTS)).entries == []
    assert parse(client.get(DOCUMENTATION)).entries == []


def test_documentation_feed(client):
    now = timezone.now()
    older = EventFactory(
        title="Auftakt",
        results="Viele Ideen.",
        documentation_published=True,
        documentation_published_at=now - datetime.timedelta(days=30),
    )
    newer = EventFactory(
        title="Werkstatt",
        documentation_published=True,
        documentation_published_at=now - datetime.timedelta(days=1),
    )
    EventDocumentFactory(event=older, title="Bericht zum Auftakt")
    EventDocumentFactory(event=older, title="Folien")
    EventPhotoFactory(event=older)
    EventPhotoFactory(event=older, shows_people=True, people_consented=False)  # not public
    EventFactory(title="Ohne Dokumentation")
    EventFactory(title="Entwurf", status=Event.Status.DRAFT, documentation_published=True)

    feed = parse(client.get(DOCUMENTATION))
    assert feed.feed.title
    assert [entry.id for entry in feed.entries] == [
        f"tag:gemeinsam-fuer-das-quartier,2020:documentation-{newer.pk}",
        f"tag:gemeinsam-fuer-das-quartier,2020:documentation-{older.pk}",
    ]
    assert "Werkstatt" in feed.entries[0].title
    summary = parse(client.get("/en" + DOCUMENTATION)).entries[1].summary
    assert "The documentation contains the results, 2 documents and 1 photo." in summary
    assert "Bericht zum Auftakt (PDF," in summary
    assert "Folien" in summary
    published = datetime.datetime(*feed.entries[1].published_parsed[:6], tzinfo=datetime.UTC)
    assert abs(published - older.documentation_published_at) < datetime.timedelta(seconds=1)
    assert "Ohne Dokumentation" not in str(feed)
    assert "Entwurf" not in str(feed)


def test_documentation_without_a_date_comes_last(client):
    """Set without the admin's switch (e.g. in the shell): listed, after the dated ones."""
    undated = EventFactory(title="Ohne Datum", documentation_published=True)
    dated = EventFactory(
        title="Mit Datum",
        documentation_published=True,
        documentation_published_at=timezone.now() - datetime.timedelta(days=400),
    )
    feed = parse(client.get(DOCUMENTATION))
    assert [entry.id.rsplit("-", 1)[1] for entry in feed.entries] == [
        str(dated.pk),
        str(undated.pk),
    ]


@pytest.mark.parametrize("path", [EVENTS, DOCUMENTATION])
def test_same_number_of_queries_for_5_and_50_events(client, path):
    def make(count):
        for _ in range(count):
            event = EventFactory(
                documentation_published=True, documentation_published_at=timezone.now()
            )
            EventDocumentFactory(event=event)
            EventPhotoFactory(event=event, variants=False)

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            parse(client.get(path))
        return [query["sql"] for query in captured.captured_queries]

    make(5)
    few = queries()
    make(45)
    many = queries()
    assert len(many) == len(few) <= 2, "\n".join(many)
