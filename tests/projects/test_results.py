"""The results overview /ergebnisse/, publication pages and their downloads."""

import datetime
import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Event
from projects.models import Publication
from tests.events.factories import BERLIN, EventDocumentFactory, EventFactory
from tests.factories import UserFactory
from tests.quartier.test_query_counts import MAX_QUERIES

from .factories import ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db

URL = "/ergebnisse/"


@pytest.fixture
def staff_client(client):
    """A browser session of an editor: staff who may view publications, not a superuser."""
    editor = UserFactory(username="redaktion", is_staff=True, permissions=["view_publication"])
    client.force_login(editor)
    return client


def fetch(client, url, method="get"):
    """The response, its file read to the end and closed (``response.body``), as a browser does."""
    response = getattr(client, method)(url)
    if getattr(response, "streaming", False):
        response.body = b"".join(response.streaming_content)
    else:
        response.body = response.content
    return response


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2021, 1, day, 12, tzinfo=BERLIN)


@pytest.fixture
def results():
    """Documented events, projects with and without results, publications; drafts of each."""
    older = EventFactory(
        title="Auftaktveranstaltung",
        start=datetime.datetime(2020, 2, 20, 10, tzinfo=BERLIN),
        results="Der Auftakt war **gelungen**.",
        documentation_published=True,
        documentation_published_at=at(1),
    )
    newer = EventFactory(
        title="Bilanzveranstaltung",
        start=datetime.datetime(2020, 12, 3, 10, tzinfo=BERLIN),
        results="Die Initiative wird fortgesetzt.",
        documentation_published=True,
        documentation_published_at=at(20),
    )
    # Documented before the date was recorded: sorted after those with a date.
    EventFactory(
        title="Werkstattgespräch ohne Datum",
        start=datetime.datetime(2020, 6, 1, 10, tzinfo=BERLIN),
        documentation_published=True,
        documentation_published_at=None,
    )
    EventDocumentFactory(event=newer, title="Bericht")
    EventDocumentFactory(event=newer, title="Präsentation")
    EventDocumentFactory(event=older, title="Protokoll")
    EventFactory(title="Ohne Dokumentation", documentation_published=False)
    EventFactory(
        title="Geheimer Entwurf",
        status=Event.Status.DRAFT,
        documentation_published=True,
        documentation_published_at=at(25),
    )
    ProjectFactory(
        title="Lebendiges Quartier",
        lessons_learned="Zwischennutzung braucht **Geduld**.",
        transferability="Ein Vertrag mit der Eigentümerin hilft.",
    )
    ProjectFactory(title="Nur Erfahrungen", lessons_learned="Früh beginnen.")
    ProjectFactory(title="Noch ohne Ergebnisse")
    ProjectFactory(title="Verborgenes Projekt", lessons_learned="Geheim.", is_published=False)
    PublicationFactory(title="Abschlussbericht", published_on=datetime.date(2021, 3, 1))
    PublicationFactory(title="Zwischenbericht", published_on=datetime.date(2020, 9, 1))
    PublicationFactory(title="Entwurf eines Berichts", is_published=False)
    return {"older": older, "newer": newer}


# --- the overview ---------------------------------------------------------------------------


def test_overview_lists_the_three_parts(client, results):
    response = client.get(URL)
    assert response.status_code == 200
    assert [event.title for event in response.context["documented_events"]] == [
        "Bilanzveranstaltung",
        "Auftaktveranstaltung",
        "Werkstattgespräch ohne Datum",
    ]
    assert {project.title for project in response.context["projects"]} == {
        "Lebendiges Quartier",
        "Nur Erfahrungen",
    }
    assert [publication.title for publication in response.context["publications"]] == [
        "Abschlussbericht",
        "Zwischenbericht",
    ]


@pytest.mark.parametrize(
    "title",
    [
        "Ohne Dokumentation",
        "Geheimer Entwurf",
        "Noch ohne Ergebnisse",
        "Verborgenes Projekt",
        "Entwurf eines Berichts",
    ],
)
def test_overview_leaves_out_what_is_not_public(client, results, title):
    assertNotContains(client.get(URL), title)


def test_overview_shows_excerpts_counts_and_links(client, results, find):
    response = client.get("/en/ergebnisse/")
    assertContains(response, "Die Initiative wird fortgesetzt.")
    assertContains(response, "2 documents")
    assertContains(response, "1 document")
    # Markdown is shown as text in the excerpts.
    assertContains(response, "Zwischennutzung braucht Geduld.")
    assertNotContains(response, "**")
    links = {node.text: node.attrs["href"] for node in find(response, "a")}
    assert links["Bilanzveranstaltung"] == (
        f"{results['newer'].get_absolute_url()}#documentation-title"
    )
    publication = Publication.objects.get(title="Abschlussbericht")
    assert links["Abschlussbericht"] == "/en/ergebnisse/abschlussbericht/"
    download = reverse(
        "results:publication_file",
        kwargs={"slug": publication.slug, "filename": publication.download_name},
    )
    assert download in [node.attrs.get("href") for node in find(response, "a")]


def test_overview_title_and_description(client, find):
    response = client.get("/en/ergebnisse/")
    (title,) = find(response, "title")
    assert title.text.startswith("Results –")
    (description,) = find(response, "meta", name="description")
    assert "publications" in description.attrs["content"]
    assert len(find(response, "h1")) == 1


def test_empty_overview_says_so(client):
    response = client.get("/en/ergebnisse/")
    assert response.status_code == 200
    assertContains(response, "No event documentation has been published yet.")
    assertContains(response, "No project has published results yet.")
    assertContains(response, "No publications yet.")


def add_results(count: int, offset: int) -> None:
    for index in range(offset, offset + count):
        event = EventFactory(
            documentation_published=True,
            documentation_published_at=timezone.now(),
            results=f"Ergebnis {index}.",
        )
        EventDocumentFactory(event=event)
        ProjectFactory(lessons_learned=f"Erfahrung {index}.")
        PublicationFactory()


@pytest.mark.parametrize(
    "path",
    [
        URL,
        "/en/ergebnisse/",
        f"{URL}?teil=dokumentation&page=2",
        f"{URL}?teil=projekte",
        "/en/ergebnisse/?teil=publikationen",
    ],
)
def test_same_number_of_queries_for_few_and_many_results(client, path):
    add_results(5, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add_results(45, 5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert response.context["counts"] == {
        "documented_events": 50,
        "projects": 50,
        "publications": 50,
    }
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)
    assert len(many) <= MAX_QUERIES


def test_the_overview_shows_the_newest_and_each_part_has_pages(client, find):
    add_results(25, 0)
    response = client.get("/en/ergebnisse/")
    assert len(response.context["documented_events"]) == 10
    assert len(response.context["projects"]) == 10
    assert len(response.context["publications"]) == 10
    links = {node.text: node.attrs["href"] for node in find(response, "a")}
    assert links["All event documentation (25)"] == "?teil=dokumentation"
    assert links["All project results (25)"] == "?teil=projekte"
    assert links["All publications (25)"] == "?teil=publikationen"
    assertContains(response, "Event documentation (25)")

    second = client.get("/en/ergebnisse/", {"teil": "dokumentation", "page": 2})
    assert len(second.context["documented_events"]) == 5
    assert "projects" not in second.context
    assertNotContains(second, "Project results")
    links = {node.text: node.attrs["href"] for node in find(second, "a")}
    assert links["Previous page"] == "?teil=dokumentation&page=1"
    assert links["All results at a glance"] == "/en/ergebnisse/"
    (title,) = find(second, "title")
    assert title.text.startswith("Results – page 2")


# --- a publication's page -------------------------------------------------------------------


def test_publication_page(client, find):
    publication = PublicationFactory(
        title="Abschlussbericht",
        summary="Was die Initiative erreicht hat.",
        description="Mit allen Ergebnissen\nder zwei Jahre.",
        published_on=datetime.date(2021, 3, 1),
        language="de",
    )
    response = client.get("/en/ergebnisse/abschlussbericht/")
    assert response.status_code == 200
    (heading,) = find(response, "h1")
    assert heading.text == "Abschlussbericht"
    (title,) = find(response, "title")
    assert title.text.startswith("Abschlussbericht –")
    (description,) = find(response, "meta", name="description")
    assert description.attrs["content"] == "Was die Initiative erreicht hat."
    assertContains(response, "Mit allen Ergebnissen<br>der zwei Jahre.")
    assertContains(response, '<time datetime="2021-03-01">')
    (link,) = [
        node
        for node in find(response, "a")
        if node.attrs.get("href", "").endswith("/abschlussbericht.pdf")
    ]
    assert link.attrs["href"] == "/en/ergebnisse/abschlussbericht/abschlussbericht.pdf"
    assert re.fullmatch(r"Download \(PDF, [\d.]+\xa0(bytes|KB)\)", link.text.strip())
    assert publication.file_size > 0


def test_publication_size_is_shown_in_german_format(client, find):
    PublicationFactory(title="Bericht", file_size=2_516_582)
    response = client.get("/ergebnisse/bericht/")
    assertContains(response, "PDF, 2,4\xa0MB")


def test_draft_publication_is_not_found(client):
    PublicationFactory(title="Entwurf", is_published=False)
    assert client.get("/ergebnisse/entwurf/").status_code == 404


def test_editors_see_a_draft_publication_marked_as_draft(staff_client):
    PublicationFactory(title="Entwurf", is_published=False)
    response = staff_client.get("/en/ergebnisse/entwurf/")
    assert response.status_code == 200
    assertContains(response, "Draft: this publication is not published")


# --- its download ---------------------------------------------------------------------------


def url_of(publication, filename=None) -> str:
    return reverse(
        "results:publication_file",
        kwargs={"slug": publication.slug, "filename": filename or publication.download_name},
    )


def test_pdf_is_shown_in_the_browser_with_safe_headers(client):
    publication = PublicationFactory(title="Abschlussbericht")
    response = fetch(client, url_of(publication))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="abschlussbericht.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert int(response["Content-Length"]) == publication.file_size
    assert response.body.startswith(b"%PDF-")


def test_office_document_is_downloaded(client):
    publication = PublicationFactory(
        title="Tabellen",
        file=ContentFile(docx_bytes(), name="Anhang Tabellen.docx"),
        file_type="docx",
    )
    response = fetch(client, url_of(publication))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="anhang-tabellen.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response.body == docx_bytes()


@pytest.mark.parametrize("filename", ["anderer-name.pdf", "abschlussbericht.PDF", "x.pdf.html"])
def test_another_filename_is_not_found(client, filename):
    publication = PublicationFactory(title="Abschlussbericht")
    assert fetch(client, url_of(publication, filename)).status_code == 404


def test_draft_download_is_not_found_but_editors_may_fetch_it(client):
    publication = PublicationFactory(title="Entwurf", is_published=False)
    assert fetch(client, url_of(publication)).status_code == 404
    client.force_login(UserFactory(is_staff=True, permissions=["view_publication"]))
    assert fetch(client, url_of(publication)).status_code == 200


def test_missing_file_is_not_found(client):
    publication = PublicationFactory(title="Abschlussbericht")
    publication.file.storage.delete(publication.file.name)
    assert fetch(client, url_of(publication)).status_code == 404


def test_download_only_reads(client):
    publication = PublicationFactory(title="Abschlussbericht")
    assert fetch(client, url_of(publication), "post").status_code == 405
    head = fetch(client, url_of(publication), "head")
    assert head.status_code == 200
    assert head.body == b""
