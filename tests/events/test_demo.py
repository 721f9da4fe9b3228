import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from actors.demo import RUNNERS
from events import demo
from events.models import (
    Event,
    EventDocument,
    EventFormat,
    EventPhoto,
    ProgrammeItem,
    Registration,
    Speaker,
)
from events.services import (
    registration_cancel,
    registration_confirm,
    registration_create,
    registration_refusal,
)
from quartier.media import detect_document_type
from quartier.models import ImageLicence

pytestmark = pytest.mark.django_db

DOCUMENTS = sum(len(spec.documents) for spec in demo.EVENTS)
PHOTOS = sum(len(spec.photos) for spec in demo.EVENTS)


FULL_PHOTO_SIZE = demo.PHOTO_SIZE
ONLINE_EXAMPLE = "Beispiel: Online-Werkstatt Beteiligung im Quartier"


@pytest.fixture
def full_size_photos(monkeypatch):
    monkeypatch.setattr(demo, "PHOTO_SIZE", FULL_PHOTO_SIZE)


@pytest.fixture
def load_demo():
    def run() -> str:
        out = StringIO()
        call_command("load_demo", stdout=out)
        return out.getvalue()

    return run


def kick_off() -> Event:
    return Event.objects.get(kind__slug="auftaktveranstaltung", title__startswith="Auftakt")


def review() -> Event:
    return Event.objects.get(title=demo.REVIEW.title)


# The real events of the record, and the examples ("Beispiel: …") with the registration's.
RECORDED = len(demo.RECORDED)
EVENTS = len(demo.EVENTS) + 1


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def snapshot():
    return {
        "events": sorted(Event.objects.values_list("slug", "title", "status")),
        "programme": ProgrammeItem.objects.count(),
        "speakers": Speaker.objects.count(),
        "documents": sorted(EventDocument.objects.values_list("file", flat=True)),
        "photos": sorted(EventPhoto.objects.values_list("image", "thumbnail", "display")),
    }


def test_running_twice_creates_nothing_new(demo_db, load_demo):
    output = demo_db
    assert Event.objects.count() == EVENTS == RECORDED + 6
    assert EventDocument.objects.count() == DOCUMENTS
    assert EventPhoto.objects.count() == PHOTOS
    assert f"{EVENTS} events with {DOCUMENTS} documents and {PHOTOS} photos" in output
    formats = sorted(EventFormat.objects.values_list("slug", "name"))
    before = snapshot()

    output = load_demo()

    assert snapshot() == before
    assert sorted(EventFormat.objects.values_list("slug", "name")) == formats
    assert f"{EVENTS} events with {DOCUMENTS} documents and {PHOTOS} photos" in output


def test_kick_off_on_20_february_2020_in_berlin(demo_db):
    event = kick_off()
    assert local_date(event.start) == datetime.date(2020, 2, 20)
    assert event.time_unknown
    assert event.address_lines == ["Räume der Stiftung „Berliner Leben“", "Berlin"]
    assert event in Event.objects.documented()
    assert sorted(event.organisers.values_list("name", flat=True)) == sorted(
        [RUNNERS[0][0], RUNNERS[1][0]]
    )
    # The six blocks of the agenda, without times; who spoke in which is not known.
    assert list(event.programme_items.values_list("title", "starts_at")) == [
        (title, None)
        for title in (
            "Begrüßung",
            "Die Sicht des Bundes",
            "Kurzvorträge",
            "Handlungsfelder",
            "Projekte",
            "Ausblick",
        )
    ]
    assert "Christian Huttenloher" in event.description


def test_review_event_of_3_december_2020_documents_the_decision_to_continue(demo_db):
    event = review()
    assert local_date(event.start) == datetime.date(2020, 12, 3)
    assert event in Event.objects.documented()
    assert event.documentation_published_at is not None
    assert "beschlossen, die Initiative" in event.results
    assert "fortzusetzen" in event.results
    assert "Mission" in event.results
    assert event in Event.objects.documented()
    # The record has no documents or photos of it: none are made up.
    assert not event.documents.exists()
    assert not event.photos.exists()


def test_everything_but_the_recorded_events_is_marked_as_an_example(demo_db):
    recorded = [Event.objects.get(slug=spec.slug).pk for spec in demo.RECORDED]
    examples = Event.objects.exclude(pk__in=recorded)
    assert examples.count() == EVENTS - RECORDED == 6
    for event in examples:
        assert event.title.startswith("Beispiel: ")
        assert event.summary.startswith("Beispieleintrag für die Demo")
        assert event.slug.startswith("beispiel-")
    # Between them they show what the list and the detail page can show.
    assert {"werkstattgespraech", "netzwerktreffen"} <= set(
        examples.values_list("kind__slug", flat=True)
    )
    assert examples.filter(status=Event.Status.CANCELLED).count() == 1
    undocumented = examples.filter(documentation_published=False, end__year=2020).exclude(
        status=Event.Status.CANCELLED
    )
    assert undocumented.count() == 1
    assert undocumented.get().results  # written, but not yet published
    online = examples.get(is_online=True)
    assert online.is_online and not online.city
    # Each has its time: the pages and calendars show it.
    assert not examples.filter(time_unknown=True).exists()


def test_example_events_are_spread_over_2020_with_one_still_to_come(demo_db):
    workshops = Event.objects.filter(title__startswith="Beispiel: ", start__year=2020)
    assert len({local_date(event.start).month for event in workshops}) == 4
    now = datetime.datetime(2026, 11, 27, 12, tzinfo=demo.BERLIN)
    upcoming = Event.objects.published().upcoming(now=now)
    assert {event.title for event in upcoming} == {
        "Beispiel: Netzwerktreffen der Partner",
        demo.REGISTRATION_EXAMPLE_TITLE,
    }
    assert not upcoming.filter(documentation_published=True).exists()


def test_actors_topics_and_speakers_are_linked(demo_db):
    for spec in demo.EVENTS:
        event = Event.objects.get(slug=spec.slug)
        # Every name matches an actor of the actors' demo data: none was lost to a typo.
        assert event.organisers.count() == len(spec.organisers)
        assert event.participants.count() == len(spec.participants)
        assert sorted(event.topics.names()) == sorted(spec.topics)
        assert event.programme_items.count() == len(spec.programme)
    speakers = [
        speaker for spec in demo.EVENTS for item in spec.programme for speaker in item.speakers
    ]
    assert Speaker.objects.count() == len(speakers)
    assert Speaker.objects.filter(actor__isnull=False).count() == sum(
        1 for speaker in speakers if speaker.actor
    )


def test_documents_are_real_pdfs(demo_db):
    documents = EventDocument.objects.all()
    assert documents
    for document in documents:
        with document.file.open("rb") as file:
            content = file.read()
            assert detect_document_type(file) == "pdf"
        assert content.startswith(b"%PDF-")
        assert content.rstrip().endswith(b"%%EOF")
        assert document.file_size == len(content) < 100_000
        assert document.file_type == "pdf"
        assert document.type_label == "PDF"
        assert document.language == "de"
        assert document.download_name.endswith(".pdf")
        document.full_clean()


def test_photos_have_variants_and_honest_credits(demo_db, full_size_photos, load_demo):
    # The module's demo has small pictures; the demo itself makes them at full size.
    EventPhoto.objects.all().delete()
    load_demo()
    photos = EventPhoto.objects.all()
    assert photos
    for photo in photos:
        assert "Heike Mages" not in photo.credit
        assert photo.credit == "Beispielbild (generiert für die Demo)"
        assert photo.licence == ImageLicence.CC0
        assert "Beispielbild" in photo.alt_text
        assert not photo.shows_people
        assert (photo.width, photo.height) == FULL_PHOTO_SIZE == (1600, 1000)
        assert not photo.needs_variants
        with photo.thumbnail.open("rb") as file, Image.open(file) as thumbnail:
            assert thumbnail.width == EventPhoto.THUMBNAIL_WIDTH
        assert photo.display.storage.exists(photo.display.name)
        photo.full_clean()
    # Every documented example shows at least three pictures, and the public sees them all.
    for event in Event.objects.filter(documentation_published=True, title__startswith="Beispiel"):
        assert event.photos.count() >= 3
    assert EventPhoto.objects.public().count() == photos.count()


def test_demo_events_pass_validation(demo_db):
    for event in Event.objects.all():
        event.full_clean()
    # The sources do not say where the review event took place: it says so, and may be
    # published as it is. Without that mark, it would need a city.
    event = review()
    assert event.place_unknown and not event.city
    event.place_unknown = False
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert set(error.value.message_dict) == {"city"}


def test_staff_edits_survive_a_second_run(demo_db, load_demo):
    event = kick_off()
    event.slug = "auftakt-2020"
    event.summary = "Von der Redaktion geschrieben."
    event.venue_name = "Von der Redaktion nachgetragen"
    event.save()
    event.topics.remove("Kreativwirtschaft")
    renamed = Event.objects.get(title="Beispiel: Online-Werkstatt Beteiligung im Quartier")
    renamed.title = "Online-Werkstatt Beteiligung"
    renamed.save()
    photo = EventPhoto.objects.filter(event__title=renamed.title).first()
    photo.delete()
    item = ProgrammeItem.objects.filter(event=renamed).first()
    item.title = "Neuer Titel"
    item.save()

    load_demo()

    assert Event.objects.count() == EVENTS
    event.refresh_from_db()
    assert event.slug == "auftakt-2020"
    assert event.summary == "Von der Redaktion geschrieben."
    assert event.venue_name == "Von der Redaktion nachgetragen"
    assert "Kreativwirtschaft" not in event.topics.names()
    assert Event.objects.filter(title="Online-Werkstatt Beteiligung").count() == 1
    online_example = next(spec for spec in demo.EVENTS if spec.title == ONLINE_EXAMPLE)
    assert renamed.photos.count() == len(online_example.photos) - 1
    assert ProgrammeItem.objects.filter(pk=item.pk, title="Neuer Titel").exists()
    assert EventPhoto.objects.count() == PHOTOS - 1


def test_an_event_left_without_documents_gets_them_again(demo_db, load_demo):
    event = Event.objects.get(title=ONLINE_EXAMPLE)
    event.documents.all().delete()
    load_demo()
    spec = next(spec for spec in demo.EVENTS if spec.title == ONLINE_EXAMPLE)
    assert event.documents.count() == len(spec.documents) == 2


def test_the_registration_example_has_one_place_left_and_a_waiting_list(client, demo_db, load_demo):
    event = Event.objects.get(title=demo.REGISTRATION_EXAMPLE_TITLE)
    assert event.start > timezone.now() + datetime.timedelta(weeks=3)
    assert registration_refusal(event) is None
    assert event.capacity == 3
    assert sorted(event.registrations.confirmed().values_list("name", flat=True)) == [
        "Erika Musterfrau",
        "Max Mustermann",
    ]
    emails = event.registrations.values_list("email", flat=True)
    assert all(email.endswith("@example.org") for email in emails)
    event.full_clean()
    response = client.get(event.get_absolute_url())
    assert response.context["registration"]["places_left"] == 1

    # The journey the demo is for: the last place, the waiting list, a cancellation.
    first = registration_create(event=event, name="Anna", email="anna@example.org")
    first = registration_confirm(registration=first)
    second = registration_create(event=event, name="Ben", email="ben@example.org")
    second = registration_confirm(registration=second)
    assert (first.status, second.status) == (
        Registration.Status.CONFIRMED,
        Registration.Status.WAITING,
    )
    registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED

    # A second run adds no registrations.
    load_demo()
    assert event.registrations.count() == 4
