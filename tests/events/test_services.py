import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from events.models import Event
from events.services import (
    documentation_checklist,
    documentation_publish,
    documentation_unpublish,
    with_documentation_counts,
)

from .factories import EventDocumentFactory, EventFactory, EventPhotoFactory

pytestmark = pytest.mark.django_db


def keys(event) -> list[str]:
    return [item.key for item in documentation_checklist(event)]


def test_publish_records_the_first_publication():
    event = EventFactory()
    assert documentation_publish(event=event) is True
    event.refresh_from_db()
    assert event.documentation_published
    first = event.documentation_published_at
    assert timezone.now() - first < datetime.timedelta(minutes=1)

    assert documentation_publish(event=event) is False  # nothing to do
    assert documentation_unpublish(event=event) is True
    assert documentation_unpublish(event=event) is False
    event.refresh_from_db()
    assert not event.documentation_published
    assert event.documentation_published_at == first

    documentation_publish(event=event)
    event.refresh_from_db()
    assert event.documentation_published_at == first


def test_publish_sets_a_missing_date():
    """Ticked without the service (older data, the shell): publishing again adds the date."""
    event = EventFactory(documentation_published=True)
    assert documentation_publish(event=event) is True
    event.refresh_from_db()
    assert event.documentation_published_at is not None


def test_publishing_touches_the_event():
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    event.refresh_from_db()
    before = event.updated_at
    documentation_publish(event=event)
    event.refresh_from_db()
    assert event.updated_at > before  # calendars and feeds show the change


def test_checklist_of_an_empty_documentation():
    event = EventFactory(results="  ")
    assert keys(event) == ["results", "documents", "photos"]
    texts = [str(item) for item in documentation_checklist(event)]
    assert all(texts)


def test_checklist_of_a_complete_documentation():
    event = EventFactory(results="Die Initiative geht weiter.")
    EventDocumentFactory(event=event)
    EventPhotoFactory(event=event)
    EventPhotoFactory(event=event, shows_people=True, people_consented=True)
    assert documentation_checklist(event) == []


def test_checklist_counts_credits_and_consent():
    event = EventFactory(results="Ergebnis")
    EventDocumentFactory(event=event)
    EventPhotoFactory(event=event, credit="", variants=False)
    EventPhotoFactory(event=event, credit="", variants=False)
    EventPhotoFactory(event=event, shows_people=True, people_consented=False, variants=False)
    EventPhotoFactory(event=EventFactory(), credit="", variants=False)  # another event's
    with translation.override("en"):
        missing = {item.key: item for item in documentation_checklist(event)}
    assert set(missing) == {"credits", "consent"}
    assert str(missing["credits"].label) == "2 credits"
    assert str(missing["consent"].label) == "1 consent"
    assert str(missing["credits"]) == "2 photos have no credit."


def test_checklist_uses_annotated_counts_without_queries():
    for _ in range(3):
        event = EventFactory()
        EventDocumentFactory(event=event)
        EventPhotoFactory(event=event, credit="", variants=False)
    events = list(with_documentation_counts(Event.objects.all()))
    with CaptureQueriesContext(connection) as captured:
        checklists = [keys(event) for event in events]
    assert len(captured) == 0
    assert checklists == [["results", "credits"]] * 3


def test_checklist_of_an_unsaved_event():
    assert keys(Event(title="Neu", results="")) == ["results", "documents", "photos"]
