import datetime

import pytest

from events.models import Event
from projects.models import Project
from tests.actors.factories import ActorFactory
from tests.events.factories import BERLIN, EventFactory
from tests.factories import UserFactory

from .factories import (
    ProjectDocumentFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    ProjectPhotoFactory,
)


@pytest.fixture
def staff_client(client):
    """A browser session of an editor: staff who may view projects and their documents."""
    editor = UserFactory(
        username="redaktion", is_staff=True, permissions=["view_project", "view_projectdocument"]
    )
    client.force_login(editor)
    return client


@pytest.fixture
def full_project():
    """``full_project(**fields)``: a completed project with everything its page can show.

    A lead, partners with roles (one unpublished), approaches and topics, two related events
    (one a draft), results, a document and three photos, one of which shows people who did not
    consent.
    """

    def make(**fields) -> Project:
        defaults = {
            "title": "Erdgeschosse für die Nachbarschaft",
            "status": Project.Status.COMPLETED,
            "city": "Berlin",
            "neighbourhood": "Gropiusstadt",
            "start": datetime.date(2021, 3, 1),
            "end": datetime.date(2023, 6, 30),
            "summary": "Leere Läden werden Orte für die Nachbarschaft.",
            "description": "Ein Wohnungsunternehmen öffnet **Erdgeschosse**.",
            "lead_actor": ActorFactory(name="degewo AG"),
            "lessons_learned": "Kurze Verträge **helfen**.",
            "transferability": "Der *Mustervertrag* lässt sich übernehmen.",
            "website": "https://erdgeschosse.example/",
            "topics": ["Wohnungswirtschaft", "Kreativwirtschaft"],
            "approaches": ["Zwischennutzung"],
        }
        project = ProjectFactory(**{**defaults, **fields})
        ProjectPartnerFactory(
            project=project,
            actor=ActorFactory(name="Stiftung Trias"),
            role="Berät zum Erbbaurecht",
            position=2,
        )
        ProjectPartnerFactory(
            project=project, actor=ActorFactory(name="HOWOGE"), role="", position=1
        )
        ProjectPartnerFactory(
            project=project,
            actor=ActorFactory(name="Verborgener Partner", is_published=False),
            role="Geheim",
            position=3,
        )
        project.related_events.add(
            EventFactory(
                title="Werkstattgespräch Wohnen",
                start=datetime.datetime(2020, 3, 12, 14, 0, tzinfo=BERLIN),
            ),
            EventFactory(title="Entwurf einer Veranstaltung", status=Event.Status.DRAFT),
        )
        ProjectDocumentFactory(project=project, title="Abschlussbericht")
        ProjectPhotoFactory(
            project=project, caption="Eröffnung", credit="© degewo", licence="cc-by-4.0"
        )
        ProjectPhotoFactory(project=project, caption="Werkstatt", position=2)
        ProjectPhotoFactory(
            project=project,
            caption="Gruppenbild ohne Zustimmung",
            shows_people=True,
            people_consented=False,
            position=3,
        )
        return project

    return make
