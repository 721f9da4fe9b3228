import datetime

import pytest

from events.models import Event
from tests.actors.factories import ActorFactory
from tests.factories import UserFactory

from .factories import (
    BERLIN,
    EventDocumentFactory,
    EventFactory,
    EventPhotoFactory,
    ProgrammeItemFactory,
    SpeakerFactory,
    event_format,
)


@pytest.fixture
def staff_client(client):
    """A browser session of an editor: staff who may view events and their documents."""
    editor = UserFactory(
        username="redaktion", is_staff=True, permissions=["view_event", "view_eventdocument"]
    )
    client.force_login(editor)
    return client


@pytest.fixture
def documented_event():
    """``documented_event(**fields)``: an event with everything its page can show.

    Organisers and participants (one of each unpublished), a programme with speakers (one from
    an actor in the directory, one from an unpublished actor), two documents and three photos,
    one of which shows people who did not consent. Its documentation is published.
    """

    def make(**fields) -> Event:
        defaults = {
            "title": "Bilanzveranstaltung",
            "kind": event_format("bilanzveranstaltung"),
            "start": datetime.datetime(2020, 12, 3, 10, 0, tzinfo=BERLIN),
            "end": datetime.datetime(2020, 12, 3, 16, 0, tzinfo=BERLIN),
            "results": "Die Initiative wird **fortgesetzt**.",
            "documentation_published": True,
            "topics": ["Kooperation", "Quartiersmanagement"],
        }
        event = EventFactory(**{**defaults, **fields})
        dv = ActorFactory(name="Deutscher Verband", short_name="DV")
        event.organisers.add(
            dv, ActorFactory(name="Verborgener Mitveranstalter", is_published=False)
        )
        event.participants.add(
            ActorFactory(name="degewo AG"),
            ActorFactory(name="Geheime Initiative", is_published=False),
        )
        opening = ProgrammeItemFactory(
            event=event,
            title="Begrüßung",
            starts_at=datetime.time(10, 0),
            ends_at=datetime.time(10, 30),
            description="Rückblick auf das Jahr.",
        )
        SpeakerFactory(
            programme_item=opening,
            name="Christian Huttenloher",
            function="Generalsekretär",
            actor=dv,
        )
        panel = ProgrammeItemFactory(event=event, title="Podium", starts_at=datetime.time(11, 0))
        SpeakerFactory(
            programme_item=panel,
            name="Erika Muster",
            function="Vorstand",
            organisation="Netzwerk Immovielien",
        )
        SpeakerFactory(
            programme_item=panel,
            name="Max Beispiel",
            function="Referent",
            actor=ActorFactory(name="Noch nicht freigeschaltet", is_published=False),
        )
        EventDocumentFactory(event=event, title="Bericht", description="Was besprochen wurde.")
        EventDocumentFactory(event=event, title="Präsentation", language="en")
        EventPhotoFactory(event=event, caption="Podium am Nachmittag", position=1)
        EventPhotoFactory(
            event=event,
            caption="Gruppenbild mit Zustimmung",
            shows_people=True,
            people_consented=True,
            licence="cc-by-4.0",
            position=2,
        )
        EventPhotoFactory(
            event=event,
            caption="Gruppenbild ohne Zustimmung",
            shows_people=True,
            people_consented=False,
            position=3,
        )
        return event

    return make
