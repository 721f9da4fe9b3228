"""The project pages need as many queries for 100 projects as for 5 (no N+1)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from projects.models import Project
from projects.views import ProjectListView
from tests.actors.factories import ActorFactory
from tests.events.factories import EventFactory
from tests.quartier.test_query_counts import MAX_QUERIES

from .factories import (
    ProjectDocumentFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    ProjectPhotoFactory,
)

pytestmark = pytest.mark.django_db


PATHS = [
    "/projekte/",
    "/en/projekte/",
    "/projekte/?page=2",
    "/projekte/?status=running&city=Berlin&topic=wohnen&actor=stiftung-trias",
    "/projekte/?status=vergessen&city=Atlantis&topic=wohnen&actor=gibt-es-nicht",
    "/projekte/?state=BE&size=large_city&year=2021&budget=under_50k",
    "/en/projekte/?state=NI&year=2022&topic=wohnen&actor=stiftung-trias&status=running",
    "/projekte/?state=XX&year=1800&budget=nichts",
    "/projekte/orte/",
    "/projekte/orte/?status=running&actor=stiftung-trias",
    "/projekte/orte.json",
    "/projekte/orte.json?status=running&city=Berlin",
    "project",
    "/en/project",
    "actor",
    "event",
]


def populator():
    """``populate(count)`` adds that many published projects, each with everything it can have.

    Stiftung Trias leads every other project and is a partner in the rest; every project has
    two more partners (one unpublished), topics and approaches, the facts (federal state,
    size, year of start, budget, funding programme) in turns, a related event shared by all,
    a document and two photos, and every third a place on the map. Files are shared, so that
    100 projects stay quick to make. Returns Trias and the shared event.
    """
    trias = ActorFactory(name="Stiftung Trias", latitude=Decimal("52.5"), longitude=Decimal("13.4"))
    event = EventFactory(title="Werkstattgespräch Wohnen")
    first = {}
    added = 0

    def add(count: int):
        nonlocal added
        for index in range(added, added + count):
            located = index % 3 == 0
            project = ProjectFactory(
                city=["Berlin", "Göttingen", "Mannheim"][index % 3],
                status=Project.Status.RUNNING if index % 2 else Project.Status.COMPLETED,
                start=datetime.date(2020 + index % 4, 1 + index % 12, 1),
                lead_actor=trias if index % 2 else ActorFactory(),
                topics=["Wohnen", f"Thema {index % 5}"],
                approaches=["Zwischennutzung"],
                lessons_learned=f"Gelernt **{index}**",
                transferability="Übertragbar.",
                why_transferable="Weil es **überall** leere Läden gibt.",
                federal_state=["BE", "NI", "BW"][index % 3],
                place_size=["large_city", "small_town"][index % 2],
                start_year=2020 + index % 4,
                budget_range=["under_50k", "50k_250k", "250k_1m", "over_1m"][index % 4],
                funding_programme="Sozialer Zusammenhalt",
                latitude=Decimal("52.52") if located else None,
                longitude=Decimal("13.405") if located else None,
            )
            if index % 2 == 0:
                ProjectPartnerFactory(project=project, actor=trias, role="Beratung")
            ProjectPartnerFactory(project=project)
            ProjectPartnerFactory(project=project, actor=ActorFactory(is_published=False))
            project.related_events.add(event)
            if not first:
                first["photo"] = ProjectPhotoFactory(project=project)
                first["document"] = ProjectDocumentFactory(project=project)
                ProjectPhotoFactory(
                    project=project,
                    image=first["photo"].image.name,
                    thumbnail=first["photo"].thumbnail.name,
                    display=first["photo"].display.name,
                    variants=False,
                )
            else:
                for _ in range(2):
                    ProjectPhotoFactory(
                        project=project,
                        image=first["photo"].image.name,
                        thumbnail=first["photo"].thumbnail.name,
                        display=first["photo"].display.name,
                        variants=False,
                    )
                ProjectDocumentFactory(
                    project=project,
                    file=first["document"].file.name,
                    file_size=first["document"].file_size,
                )
        added += count
        return trias, event

    return add


def queries_for(client, path: str) -> list[str]:
    cache.clear()  # as in a test of its own
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return [query["sql"] for query in captured.captured_queries]


def resolve(path: str, trias, event) -> str:
    # After a request to an English page, English stays active: reverse() in German explicitly.
    with translation.override("de"):
        if path in ("project", "/en/project"):
            first = Project.objects.order_by("pk").first()
            return path.removesuffix("project").rstrip("/") + first.get_absolute_url()
        if path == "actor":
            return trias.get_absolute_url()
        if path == "event":
            return event.get_absolute_url()
        return path


def what_the_pages_show(client, trias, event) -> dict:
    """What the list, a project, Trias's page and the event's page show (see the test below)."""
    listing = client.get("/projekte/")
    project = Project.objects.order_by("pk").first()
    detail = client.get(project.get_absolute_url()).context
    return {
        "listed": len(listing.context["projects"]),
        "photos of each listed": {
            len(project.public_photos) for project in listing.context["projects"]
        },
        "places": listing.context["place_count"],
        "places loaded by the map": len(client.get("/projekte/orte.json").json()["places"]),
        "topics named": "Thema" in listing.content.decode(),
        "running with Trias": client.get("/projekte/?actor=stiftung-trias&status=running")
        .context["page_obj"]
        .paginator.count,
        "in Berlin from 2020": client.get("/projekte/?state=BE&year=2020")
        .context["page_obj"]
        .paginator.count,
        "states offered": len(listing.context["filter"].choices_of("state")),
        "facts shown": "Sozialer Zusammenhalt"
        in client.get(project.get_absolute_url()).content.decode(),
        "partners": len(detail["partnerships"]),
        "photos": len(detail["photos"]),
        "documents": len(detail["documents"]),
        "topics": len(detail["topics"]),
        "events": len(detail["related_events"]),
        "projects of Trias": len(client.get(trias.get_absolute_url()).context["projects"]),
        "projects of the event": len(
            client.get(event.get_absolute_url()).context["related_projects"]
        ),
    }


@pytest.fixture(scope="module")
def measured(module_db):
    """For 5 and for 100 projects: ``queries[path]``, the queries of each page of PATHS (few,
    many), and ``shown[size]``, what the pages show.

    Measured once for the module, each page in a new session; the projects are gone afterwards.
    """
    queries, shown = {}, {}
    with module_db():
        populate = populator()
        for size in (5, 100):
            trias, event = populate(size - Project.objects.count())
            with pytest.MonkeyPatch.context() as patch:
                # Three pages at the small size, so that "?page=2" is a middle page at both.
                patch.setattr(ProjectListView, "paginate_by", 2)
                for path in PATHS:
                    found = queries_for(Client(), resolve(path, trias, event))
                    queries[path] = (*queries.get(path, ()), found)
            shown[size] = what_the_pages_show(Client(), trias, event)
    return SimpleNamespace(queries=queries, shown=shown)


@pytest.mark.parametrize("path", PATHS)
def test_same_number_of_queries_for_few_and_many_projects(measured, path):
    few, many = measured.queries[path]
    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= MAX_QUERIES, "\n".join(many)


@pytest.mark.parametrize("size", [5, 100])
def test_the_pages_are_filled_at_both_sizes(measured, size):
    """Otherwise the comparison above could pass with empty pages that skip their prefetches."""
    assert measured.shown[size] == {
        "listed": min(size, ProjectListView.paginate_by),
        "photos of each listed": {2},
        "places": (size + 2) // 3 + 1,
        "places loaded by the map": (size + 2) // 3 + 1,
        "topics named": True,
        "running with Trias": size // 2,
        # Berlin is every third project (0, 3, 6, …), 2020 every fourth (0, 4, 8, …).
        "in Berlin from 2020": len(range(0, size, 12)),
        "states offered": 3,
        "facts shown": True,
        "partners": 2,
        "photos": 2,
        "documents": 1,
        "topics": 2,
        "events": 1,
        "projects of Trias": size,
        "projects of the event": size,
    }
