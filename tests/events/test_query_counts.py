"""The event pages need as many queries for 100 documented events as for 5 (no N+1).

Every event takes registrations and has some, so that the event page counts its free places.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from events.models import Event, Registration
from events.views import EventListView
from quartier.site.views import ImageCreditsView
from tests.actors.factories import ActorFactory
from tests.factories import UserFactory
from tests.quartier.test_query_counts import MAX_QUERIES

from .factories import (
    BERLIN,
    EventDocumentFactory,
    EventFactory,
    EventPhotoFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


PATHS = [
    "/veranstaltungen/",
    "/en/veranstaltungen/",
    "/veranstaltungen/?zeit=kommend",
    "/veranstaltungen/?page=2",
    "/veranstaltungen/?kind=werkstattgespraech&year=2020&topic=wohnen",
    "/veranstaltungen/?kind=gibt-es-nicht&year=abc&topic=wohnen",
    "event",
    "/en/event",
    "/bildnachweise/",
    "/bildnachweise/?teil=veranstaltungen&page=2",
    "actor",
]


def populator():
    """``populate(count)`` adds that many published events, each with full documentation.

    Every event has topics, an organiser of its own besides the DV, a participant, a programme
    item with two speakers (one from the directory), a document and a photo, open registration
    with two confirmed people and one waiting; every fifth lies in the future. The image and
    document files are shared, so that 100 events stay quick to make.
    Returns the DV, which organises all of them.
    """
    dv = ActorFactory(name="Deutscher Verband", short_name="DV", logo="actors/logos/dv.png")
    first_photo = None
    first_document = None
    added = 0

    def add(count: int):
        nonlocal added, first_photo, first_document
        for index in range(added, added + count):
            if index % 5 == 0:
                start = timezone.localtime() + datetime.timedelta(days=10 + index)
            else:
                start = datetime.datetime(2019 + index % 3, 1 + index % 12, 10, 14, tzinfo=BERLIN)
            event = EventFactory(
                start=start,
                documentation_published=True,
                results=f"Ergebnis **{index}**",
                topics=["Wohnen", f"Thema {index % 4}"],
                registration_enabled=True,
                capacity=2,
            )
            RegistrationFactory.create_batch(2, event=event)
            RegistrationFactory(
                event=event, status=Registration.Status.WAITING, waiting_since=timezone.now()
            )
            event.organisers.add(dv, ActorFactory(logo=f"actors/logos/{index}.png"))
            event.participants.add(ActorFactory())
            item = ProgrammeItemFactory(event=event)
            SpeakerFactory(programme_item=item, actor=ActorFactory())
            SpeakerFactory(programme_item=item, organisation="Netzwerk Immovielien")
            if first_photo is None:
                first_photo = EventPhotoFactory(event=event)
                first_document = EventDocumentFactory(event=event)
            else:
                EventPhotoFactory(
                    event=event,
                    image=first_photo.image.name,
                    thumbnail=first_photo.thumbnail.name,
                    display=first_photo.display.name,
                    variants=False,
                )
                EventDocumentFactory(
                    event=event, file=first_document.file.name, file_size=first_document.file_size
                )
        added += count
        return dv

    return add


@pytest.fixture
def populate():
    return populator()


def queries_for(client, path: str) -> list[str]:
    cache.clear()  # as in a test of its own
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def resolve(path: str, dv) -> str:
    # After a request to an English page, English stays active: reverse() in German explicitly.
    with translation.override("de"):
        return _resolve(path, dv)


def _resolve(path: str, dv) -> str:
    first_event = dv.organised_events.order_by("pk").first()
    if path in ("event", "/en/event"):
        return path.removesuffix("event").rstrip("/") + first_event.get_absolute_url()
    if path == "actor":
        return dv.get_absolute_url()
    return path


def what_the_pages_show(client, dv) -> dict:
    """What the list, an event, the credits and the DV's page show (see the test below)."""
    listing = client.get("/veranstaltungen/").context
    event = dv.organised_events.order_by("pk").first()
    detail = client.get(event.get_absolute_url()).context
    image_credits = client.get("/bildnachweise/").context
    return {
        "upcoming": len(listing["upcoming"]),
        "archive years": bool(listing["archive_years"]),
        "programme": len(detail["programme"]),
        "speakers": len(detail["programme"][0].speakers.all()),
        "documents": len(detail["documents"]),
        "photos": len(detail["photos"]),
        "organisers": len(detail["organisers"]),
        "credited photos": len(image_credits["event_photos"]),
        "credited logos": len(image_credits["actor_logos"]),
        "events of the DV": len(client.get(dv.get_absolute_url()).context["events"]),
    }


@pytest.fixture(scope="module")
def measured(module_db):
    """For 5 and for 100 events: ``queries[path]``, the queries of each page of PATHS (few,
    many), and ``shown[size]``, what the pages show.

    Measured once for the module, each page in a new session; the events are gone afterwards.
    """
    queries, shown = {}, {}
    with module_db():
        populate = populator()
        for size in (5, 100):
            dv = populate(size - Event.objects.count())
            with pytest.MonkeyPatch.context() as patch:
                # Three pages at the small size, so that "?page=2" is a middle page at both.
                patch.setattr(EventListView, "paginate_by", 2)
                for path in PATHS:
                    found = queries_for(Client(), resolve(path, dv))
                    queries[path] = (*queries.get(path, ()), found)
            shown[size] = what_the_pages_show(Client(), dv)
    return SimpleNamespace(queries=queries, shown=shown)


@pytest.mark.parametrize("path", PATHS)
def test_same_number_of_queries_for_few_and_many_events(measured, path):
    few, many = measured.queries[path]
    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= MAX_QUERIES, "\n".join(many)


@pytest.mark.parametrize("size", [5, 100])
def test_the_pages_are_filled_at_both_sizes(measured, size):
    """Otherwise the comparison above could pass with empty pages that skip their prefetches."""
    assert measured.shown[size] == {
        "upcoming": min(size // 5, EventListView.upcoming_on_first_page),
        "archive years": True,
        "programme": 1,
        "speakers": 2,
        "documents": 1,
        "photos": 1,
        "organisers": 2,
        # The credits page shows the first of each part and links to the rest.
        "credited photos": min(size, ImageCreditsView.shown_on_overview),
        "credited logos": min(size + 1, ImageCreditsView.shown_on_overview),
        "events of the DV": size,
    }


def test_event_page_of_a_logged_in_person_with_a_registration(client, populate):
    """The page also shows the person's own registration: still a fixed number of queries."""
    member = UserFactory(username="erika")
    client.force_login(member)
    dv = populate(5)
    event = dv.organised_events.order_by("pk").first()
    RegistrationFactory(event=event, user=member, email=member.email)
    few = queries_for(client, event.get_absolute_url())
    response = client.get(event.get_absolute_url())
    assert response.context["registration"]["own"] is not None
    assert response.context["registration"]["is_full"]

    populate(95)
    many = queries_for(client, event.get_absolute_url())

    assert len(many) == len(few), "\n".join(many)
    # Besides what the public page needs: the session and the account.
    assert len(many) <= MAX_QUERIES + 2, "\n".join(many)
