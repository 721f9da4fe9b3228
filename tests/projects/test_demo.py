import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from PIL import Image

from actors.demo import PARTICIPANTS
from actors.models import Actor
from events import demo as events_demo
from projects import demo
from projects.models import Project, ProjectDocument, ProjectPartner, ProjectPhoto, Publication
from quartier.media import detect_document_type
from quartier.models import ImageLicence
from tests.events.test_downloads import fetch

pytestmark = pytest.mark.django_db

DOCUMENTS = sum(len(spec.documents) for spec in demo.PROJECTS)
PHOTOS = sum(len(spec.photos) for spec in demo.PROJECTS)
PARTICIPANT_NAMES = {row[0] for row in PARTICIPANTS}


@pytest.fixture
def load_demo():
    def run() -> str:
        out = StringIO()
        call_command("load_demo", stdout=out)
        return out.getvalue()

    return run


def snapshot():
    return {
        "projects": sorted(Project.objects.values_list("slug", "title", "status", "lead_actor")),
        "facts": sorted(
            Project.objects.values_list(
                "slug",
                "federal_state",
                "place_size",
                "start_year",
                "budget_range",
                "funding_programme",
                "why_transferable",
            )
        ),
        "partners": sorted(ProjectPartner.objects.values_list("project", "actor", "role")),
        "documents": sorted(ProjectDocument.objects.values_list("file", flat=True)),
        "photos": sorted(ProjectPhoto.objects.values_list("image", "thumbnail", "display")),
        "publications": sorted(Publication.objects.values_list("slug", "file")),
        "events": sorted(Project.related_events.through.objects.values_list("project", "event")),
    }


def test_running_twice_creates_nothing_new(demo_db, load_demo):
    output = demo_db
    assert Project.objects.count() == 4
    assert ProjectDocument.objects.count() == DOCUMENTS == 2
    assert ProjectPhoto.objects.count() == PHOTOS == 4
    assert Publication.objects.count() == 1
    assert f"4 projects with {DOCUMENTS} documents and {PHOTOS} photos, 1 publication." in output
    before = snapshot()

    output = load_demo()

    assert snapshot() == before
    assert f"4 projects with {DOCUMENTS} documents and {PHOTOS} photos, 1 publication." in output


def test_every_project_is_marked_as_an_example(demo_db):
    for project in Project.objects.all():
        assert project.title.startswith("Beispiel: ")
        assert project.slug.startswith("beispiel-")
        assert project.summary.startswith("Beispieleintrag für die Demo")
        assert "Beispiel" in project.description
        for text in (project.lessons_learned, project.transferability, project.why_transferable):
            assert not text or text.startswith(events_demo.EXAMPLE_RESULTS_NOTE)
        assert project.is_published
        project.full_clean()


def test_statuses_cities_and_places(demo_db):
    projects = Project.objects.all()
    assert set(projects.values_list("status", flat=True)) == {"planned", "running", "completed"}
    assert set(projects.values_list("city", flat=True)) == {"Berlin", "Göttingen", "Mannheim"}
    centres = {
        "Berlin": (52.52, 13.405),
        "Göttingen": (51.5413, 9.9158),
        "Mannheim": (49.4875, 8.466),
    }
    located = projects.with_location()
    assert located.count() == 3
    for project in located:
        assert (float(project.latitude), float(project.longitude)) == centres[project.city]
    # Completed projects have an end; a planned one starts in the future.
    for project in projects.filter(status="completed"):
        assert project.end and project.start < project.end
        assert project.has_results
    planned = projects.get(status="planned")
    assert planned.start > datetime.date(2026, 11, 27)


def test_real_participants_lead_and_work_as_partners(demo_db):
    for spec in demo.PROJECTS:
        project = Project.objects.get(slug=spec.slug)
        assert project.lead_actor.name == spec.lead
        assert project.lead_actor.name in PARTICIPANT_NAMES
        partners = list(project.partnerships.select_related("actor"))
        # Every name matches an actor of the actors' demo data: none was lost to a typo.
        assert [(p.actor.name, p.role) for p in partners] == [
            (partner.actor, partner.role) for partner in spec.partners
        ]
        assert {p.actor.name for p in partners} <= PARTICIPANT_NAMES
        assert sorted(project.topics.names()) == sorted(spec.topics)
        assert sorted(project.approaches.names()) == sorted(spec.approaches)
        assert sorted(project.related_events.values_list("title", flat=True)) == sorted(
            spec.related_events
        )
    # Actors are left without coordinates: the sources give none.
    assert not Actor.objects.with_location().exists()


def test_documents_are_real_pdfs(demo_db):
    documents = [*ProjectDocument.objects.all(), *Publication.objects.all()]
    assert len(documents) == 3
    for document in documents:
        with document.file.open("rb") as file:
            content = file.read()
            assert detect_document_type(file) == "pdf"
        assert content.startswith(b"%PDF-")
        assert document.file_size == len(content) < 100_000
        assert document.file_type == "pdf"
        assert document.download_name.endswith(".pdf")
        document.full_clean()
    for project in Project.objects.filter(status="completed"):
        assert project.documents.count() == 1
        assert project.photos.count() == 2


def test_photos_have_variants_and_honest_credits(demo_db):
    photos = ProjectPhoto.objects.all()
    assert photos.count() == 4
    for photo in photos:
        assert photo.credit == "Beispielbild (generiert für die Demo)"
        assert photo.licence == ImageLicence.CC0
        assert "Beispielbild" in photo.alt_text
        assert not photo.shows_people
        assert not photo.needs_variants
        with photo.thumbnail.open("rb") as file, Image.open(file) as thumbnail:
            assert thumbnail.format == "WEBP"
        photo.full_clean()
    assert ProjectPhoto.objects.public().count() == 4


def test_the_publication_is_an_example(demo_db):
    publication = Publication.objects.get()
    assert publication.title == "Beispiel: Abschlussbericht der Vernetzungsinitiative"
    assert publication.slug == "beispiel-abschlussbericht-der-vernetzungsinitiative"
    assert publication.summary.startswith("Beispieleintrag für die Demo")
    assert publication.published_on == datetime.date(2021, 3, 1)
    assert publication.is_published
    publication.full_clean()


def test_demo_pages_answer(demo_db, client):
    assert client.get("/projekte/").status_code == 200
    for project in Project.objects.all():
        response = client.get(project.get_absolute_url())
        assert response.status_code == 200
        for document in response.context["documents"]:
            url = f"{project.get_absolute_url()}dokumente/{document.pk}/{document.download_name}"
            assert fetch(client, url).status_code == 200


def test_staff_edits_survive_a_second_run(demo_db, load_demo):
    project = Project.objects.get(slug=demo.GROUND_FLOORS.slug)
    project.slug = "erdgeschosse"
    project.summary = "Von der Redaktion geschrieben."
    project.save()
    project.topics.remove("Kreativwirtschaft")
    project.partnerships.first().delete()
    renamed = Project.objects.get(title=demo.CULTURE_WORKSHOP.title)
    renamed.title = "Kulturwerkstatt"
    renamed.save()
    project.photos.first().delete()
    publication = Publication.objects.get()
    publication.title = "Abschlussbericht"
    publication.save()

    load_demo()

    assert Project.objects.count() == 4
    project.refresh_from_db()
    assert project.slug == "erdgeschosse"
    assert project.summary == "Von der Redaktion geschrieben."
    assert "Kreativwirtschaft" not in project.topics.names()
    assert project.partnerships.count() == len(demo.GROUND_FLOORS.partners) - 1
    assert project.photos.count() == len(demo.GROUND_FLOORS.photos) - 1
    assert Project.objects.filter(title="Kulturwerkstatt").count() == 1
    assert Publication.objects.count() == 1


def test_a_project_left_without_documents_gets_them_again(demo_db, load_demo):
    project = Project.objects.get(slug=demo.FOUNDERS_FLOOR.slug)
    project.documents.all().delete()
    load_demo()
    assert project.documents.count() == len(demo.FOUNDERS_FLOOR.documents)


# The states and sizes of the demo's real cities (BBSR: large cities from 100,000 inhabitants).
CITY_FACTS = {
    "Berlin": ("BE", "large_city"),
    "Göttingen": ("NI", "large_city"),
    "Mannheim": ("BW", "large_city"),
}


def test_facts_only_on_example_projects_and_true_to_their_city(demo_db):
    """Budget, funding and why transferable are invented, so only on "Beispiel:" entries; the
    federal state and the size of the place are the real city's; the year that of the start."""
    projects = Project.objects.all()
    assert {project.budget_range for project in projects} == {
        "under_50k",
        "50k_250k",
        "250k_1m",
        "over_1m",
    }
    for project in projects:
        if project.budget_range or project.funding_programme or project.why_transferable:
            assert project.title.startswith("Beispiel: ")
            assert "Budget, Förderung" in project.description
        assert (project.federal_state, project.place_size) == CITY_FACTS[project.city]
        assert project.start_year == project.start.year
        project.full_clean()


def test_the_list_filters_the_demo_by_its_facts(demo_db, client, options):
    response = client.get("/projekte/", {"state": "BE"})
    assert [project.city for project in response.context["projects"]] == ["Berlin", "Berlin"]
    assert options(response, "state")[1:] == [
        "Baden-Württemberg (1)",
        "Berlin (2)",
        "Niedersachsen (1)",
    ]


def test_projects_made_before_the_facts_get_them_once(demo_db, load_demo):
    """A demo loaded before projects had facts: they are added where none is set, and what
    staff set is kept."""
    Project.objects.update(
        federal_state="", place_size="", start_year=None, budget_range="", funding_programme=""
    )
    Project.objects.update(why_transferable="")
    kept = Project.objects.get(slug=demo.CULTURE_WORKSHOP.slug)
    kept.funding_programme = "Von der Redaktion eingetragen"
    kept.save()

    load_demo()

    ground_floors = Project.objects.get(slug=demo.GROUND_FLOORS.slug)
    assert ground_floors.federal_state == "BE"
    assert ground_floors.start_year == 2021
    assert ground_floors.why_transferable.startswith(events_demo.EXAMPLE_RESULTS_NOTE)
    kept.refresh_from_db()
    assert kept.funding_programme == "Von der Redaktion eingetragen"
    assert kept.federal_state == ""
