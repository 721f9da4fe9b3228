"""/ergebnisse/?barrierearm=1: the results kept to what has accessible documents, and a
publication's page saying how accessible its file is."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from quartier.media import DocumentInspection
from tests.events.factories import EventDocumentFactory, EventFactory
from tests.quartier.test_query_counts import MAX_QUERIES

from .factories import ProjectDocumentFactory, ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db

URL = "/ergebnisse/"
FILTERED = f"{URL}?barrierearm=1"

TAGGED = {"inspection": DocumentInspection.INSPECTED, "is_tagged": True, "has_text": True}
UNTAGGED = {"inspection": DocumentInspection.INSPECTED, "is_tagged": False, "has_text": True}
SCAN = {"inspection": DocumentInspection.INSPECTED, "is_tagged": True, "has_text": False}
OFFICE = {"inspection": DocumentInspection.INSPECTED, "file_type": "odt"}
UNKNOWN = {"inspection": DocumentInspection.UNKNOWN}


def documented_event(title: str, *documents: dict):
    event = EventFactory(
        title=title,
        results="Ergebnisse.",
        documentation_published=True,
        documentation_published_at=timezone.now(),
    )
    for fields in documents:
        EventDocumentFactory(event=event, **fields)
    return event


@pytest.fixture
def results():
    documented_event("Mit getaggtem PDF", TAGGED, UNTAGGED, OFFICE)
    documented_event("Nur mit Scan", SCAN, UNKNOWN)
    documented_event("Noch nicht geprüft", {})
    with_tagged = ProjectFactory(title="Projekt mit Bericht", lessons_learned="Geduld.")
    ProjectDocumentFactory(project=with_tagged, **TAGGED)
    without = ProjectFactory(title="Projekt mit Scan", lessons_learned="Früh beginnen.")
    ProjectDocumentFactory(project=without, **SCAN)
    PublicationFactory(title="Getaggter Bericht", published_on=datetime.date(2021, 3, 1), **TAGGED)
    PublicationFactory(title="Tabellen", published_on=datetime.date(2021, 2, 1), **OFFICE)
    PublicationFactory(title="Ungetaggter Bericht", **UNTAGGED)
    PublicationFactory(title="Entwurf", is_published=False, **TAGGED)


def titles(response, name: str) -> list[str]:
    return [row.title for row in response.context[name]]


def test_the_filter_keeps_what_has_accessible_documents(client, results):
    response = client.get(FILTERED)
    assert response.status_code == 200
    assert titles(response, "documented_events") == ["Mit getaggtem PDF"]
    assert titles(response, "projects") == ["Projekt mit Bericht"]
    assert titles(response, "publications") == ["Getaggter Bericht", "Tabellen"]
    assert response.context["counts"] == {
        "documented_events": 1,
        "projects": 1,
        "publications": 2,
    }


def test_without_the_filter_everything_is_listed_and_counted_apart(client, results):
    filtered = client.get(FILTERED)
    everything = client.get(URL)
    assert filtered.context["counts"]["publications"] == 2
    assert everything.context["counts"] == {
        "documented_events": 3,
        "projects": 2,
        "publications": 3,
    }
    assert len(titles(everything, "documented_events")) == 3


def test_filtered_events_count_their_accessible_documents(client, results):
    response = client.get(f"/en{FILTERED}")
    # A tagged PDF and an office file of the three documents.
    assertContains(response, "2 accessible documents")
    assertNotContains(response, "3 documents")
    assertContains(client.get(f"/en{URL}"), "3 documents")


def test_the_filter_is_a_get_form_that_explains_itself(client, results, find):
    response = client.get(f"/en{URL}")
    (form,) = [node for node in find(response, "form") if "results-filter" in node.attrs["class"]]
    assert form.attrs["method"] == "get"
    (checkbox,) = [node for node in find(response, "input") if node.attrs.get("type") == "checkbox"]
    assert (checkbox.attrs["name"], checkbox.attrs["value"]) == ("barrierearm", "1")
    assert "checked" not in checkbox.attrs
    assertContains(response, "tagged PDFs with a text layer")
    assertContains(response, "office files (DOCX, PPTX, XLSX, ODT, ODP)")

    filtered = client.get(f"/en{FILTERED}")
    (checkbox,) = [node for node in find(filtered, "input") if node.attrs.get("type") == "checkbox"]
    assert "checked" in checkbox.attrs
    links = {node.text: node.attrs["href"] for node in find(filtered, "a")}
    assert links["Show all entries"] == "?"

    german = client.get(URL)
    assertContains(german, "Nur Einträge mit barrierearmen Dokumenten")
    assertContains(german, "getaggte PDFs mit Textebene")


def test_links_to_a_part_and_its_pages_keep_the_filter(client, find):
    for index in range(25):
        PublicationFactory(title=f"Bericht {index:02}", **TAGGED)
    response = client.get(f"/en{FILTERED}")
    links = {node.text: node.attrs["href"] for node in find(response, "a")}
    assert links["All publications (25)"] == "?barrierearm=1&teil=publikationen"

    part = client.get(f"/en{URL}", {"barrierearm": "1", "teil": "publikationen"})
    links = {node.text: node.attrs["href"] for node in find(part, "a")}
    assert links["Next page"] == "?barrierearm=1&teil=publikationen&page=2"
    assert links["All results at a glance"] == "/en/ergebnisse/?barrierearm=1"
    # The form keeps the part shown.
    hidden = [node for node in find(part, "input") if node.attrs.get("type") == "hidden"]
    assert [(node.attrs["name"], node.attrs["value"]) for node in hidden] == [
        ("teil", "publikationen")
    ]


def test_an_empty_filtered_result_says_so(client):
    documented_event("Nur mit Scan", SCAN)
    response = client.get(f"/en{FILTERED}")
    assertContains(response, "No event documentation with accessible documents.")
    assertContains(response, "No project results with accessible documents.")
    assertContains(response, "No accessible publications yet.")


@pytest.mark.parametrize("value", ["0", "ja", ""])
def test_other_values_do_not_filter(client, results, value):
    response = client.get(URL, {"barrierearm": value})
    assert response.status_code == 200
    assert response.context["counts"]["publications"] == 3


def add_results(count: int, offset: int) -> None:
    for index in range(offset, offset + count):
        documented_event(f"Veranstaltung {index}", TAGGED, SCAN)
        ProjectDocumentFactory(
            project=ProjectFactory(lessons_learned=f"Erfahrung {index}."), **TAGGED
        )
        PublicationFactory(**TAGGED)


@pytest.mark.parametrize(
    "path",
    [
        FILTERED,
        f"/en{FILTERED}",
        f"{FILTERED}&teil=dokumentation&page=2",
        f"{FILTERED}&teil=projekte",
    ],
)
def test_same_number_of_queries_for_few_and_many_results(client, path):
    add_results(5, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add_results(40, 5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert response.context["counts"] == {
        "documented_events": 45,
        "projects": 45,
        "publications": 45,
    }
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)
    assert len(many) <= MAX_QUERIES


# --- a publication's page -------------------------------------------------------------------


def test_a_publication_says_how_accessible_its_file_is(client, find):
    PublicationFactory(title="Abschlussbericht", page_count=12, **TAGGED)
    PublicationFactory(title="Scan", page_count=1, **SCAN | {"is_tagged": False})
    PublicationFactory(title="Alt")

    def facts(url):
        response = client.get(url)
        keys = [node.text for node in find(response, "dt")]
        values = [node.text for node in find(response, "dd")]
        return dict(zip(keys, values, strict=True))

    german = facts("/ergebnisse/abschlussbericht/")
    assert (german["Umfang"], german["Barrierefreiheit"]) == ("12 Seiten", "Barrierearm: getaggt")
    assert facts("/en/ergebnisse/scan/")["Accessibility"] == "Not tagged, no text layer"
    alt = facts("/en/ergebnisse/alt/")
    assert alt["Accessibility"] == "Accessibility unknown"
    assert "Length" not in alt
