"""The projects' admin: what editors see and do, as they do it (forms read from the page)."""

import datetime
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertRedirects

from projects.models import Approach, Project, ProjectDocument, ProjectPhoto, Publication
from tests.actors.factories import ActorFactory
from tests.events.factories import EventFactory, pdf_bytes
from tests.events.test_admin import add_inline_row, form_data, jpeg_upload
from tests.factories import UserFactory

from .factories import (
    ProjectDocumentFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    ProjectPhotoFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/projects/project/"
ADD = "/admin/projects/project/add/"
PUBLICATIONS = "/admin/projects/publication/"


def change_url(project: Project) -> str:
    return f"/admin/projects/project/{project.pk}/change/"


def pdf_upload(name="bericht.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def editor_client(client):
    """An editor of the DV: staff with the permissions on projects, not a superuser."""
    editor = UserFactory(
        username="redakteurin",
        is_staff=True,
        permissions=Permission.objects.filter(content_type__app_label="projects")
        | Permission.objects.filter(codename__in=["view_actor", "view_event"]),
    )
    client.force_login(editor)
    return client


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CHANGELIST, ADD, PUBLICATIONS, "/admin/projects/approach/"])
def test_anonymous_visitors_are_sent_to_the_login(client, path):
    assertRedirects(client.get(path, follow=True), f"/konto/login/?next={quote(path, safe='')}")


def test_anonymous_visitors_cannot_publish(client):
    project = ProjectFactory(is_published=False)
    response = client.post(CHANGELIST, {"action": "publish", "_selected_action": [project.pk]})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    project.refresh_from_db()
    assert not project.is_published


# --- The list of projects ---------------------------------------------------------------------


def test_changelist_columns(editor_client, find):
    ProjectFactory(title="Erdgeschosse", lead_actor=ActorFactory(name="degewo AG"))
    response = editor_client.get("/en" + CHANGELIST)
    assert response.status_code == 200
    headers = [
        node.text
        for node in find(response, "th", scope="col")
        if "column-" in node.attrs.get("class", "")
    ]
    assert headers == [
        "Title",
        "City",
        "Status",
        "Lead",
        "Published",
    ]
    assertContains(response, "degewo AG")


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"q": "Erdgeschoss"}, {"Erdgeschosse"}),
        ({"q": "Weststadt"}, {"Kulturwerkstatt"}),
        ({"status__exact": "planned"}, {"Boden für alle"}),
        ({"city": "Göttingen"}, {"Kulturwerkstatt"}),
        ({"is_published__exact": "0"}, {"Boden für alle"}),
    ],
)
def test_changelist_search_and_filters(admin_client, query, titles):
    ProjectFactory(title="Erdgeschosse", city="Berlin")
    ProjectFactory(title="Kulturwerkstatt", city="Göttingen", neighbourhood="Weststadt")
    ProjectFactory(
        title="Boden für alle", status=Project.Status.PLANNED, city="Berlin", is_published=False
    )
    response = admin_client.get(CHANGELIST, query)
    assert response.status_code == 200
    assert {project.title for project in response.context["cl"].result_list} == titles


def test_changelist_queries_are_the_same_for_5_and_50_projects(admin_client):
    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(CHANGELIST)
        assert response.status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    ProjectFactory.create_batch(5)
    few = queries()
    ProjectFactory.create_batch(45)
    many = queries()
    assert len(many) == len(few), "\n".join(many)


# --- Adding and changing ----------------------------------------------------------------------


def test_add_page(editor_client, find):
    response = editor_client.get("/en" + ADD)
    assert response.status_code == 200
    assertContains(response, "js/admin-german-slugs.js")
    for group in ["partnerships-group", "documents-group", "photos-group"]:
        assert find(response, "div", id=group), group
    # Lead and related events are chosen by typing (autocomplete), not from long lists.
    (lead,) = find(response, "select", name="lead_actor")
    assert "admin-autocomplete" in lead.attrs["class"]
    (events,) = find(response, "select", name="related_events")
    assert "admin-autocomplete" in events.attrs["class"]
    (partner_actor,) = [
        node
        for node in find(response, "select")
        if node.attrs.get("name") == "partnerships-__prefix__-actor"
    ]
    assert "admin-autocomplete" in partner_actor.attrs["class"]
    # Approaches and topics are typed, separated by commas.
    assert find(response, "input", name="approaches")
    assert find(response, "input", name="topics")


def test_add_a_project_with_partners_documents_and_photos(editor_client):
    degewo = ActorFactory(name="degewo AG")
    trias = ActorFactory(name="Stiftung Trias")
    event = EventFactory(title="Werkstattgespräch Wohnen")
    data = form_data(editor_client.get(ADD), form_id="project_form")
    data.update(
        {
            "title": "Erdgeschosse für die Nachbarschaft",
            "slug": "",
            "status": Project.Status.RUNNING,
            "city": "Berlin",
            "neighbourhood": "Gropiusstadt",
            "latitude": "52.52",
            "longitude": "13.405",
            "start": "01.03.2021",
            "summary": "Leere Läden werden Orte für die Nachbarschaft.",
            "approaches": "Zwischennutzung, Kooperation",
            "topics": "Wohnen",
            "lead_actor": str(degewo.pk),
            "related_events": [str(event.pk)],
            "website": "erdgeschosse.example",
            "lessons_learned": "Kurze Verträge helfen.",
        }
    )
    add_inline_row(
        data, "partnerships", actor=str(trias.pk), role="Berät zum Erbbaurecht", position="1"
    )
    add_inline_row(data, "documents", title="Abschlussbericht", language="de", position="1")
    add_inline_row(
        data,
        "photos",
        alt_text="Ein bemalter Bauzaun",
        caption="Eröffnung",
        credit="© degewo",
        licence="cc-by-4.0",
        position="1",
    )
    data["documents-0-file"] = pdf_upload()
    data["photos-0-image"] = jpeg_upload()
    response = editor_client.post(ADD, data)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)

    project = Project.objects.get()
    assert project.slug == "erdgeschosse-fuer-die-nachbarschaft"
    assert project.start == datetime.date(2021, 3, 1)
    assert project.lead_actor == degewo
    assert project.website == "https://erdgeschosse.example"
    assert sorted(project.approaches.names()) == ["Kooperation", "Zwischennutzung"]
    assert list(project.topics.names()) == ["Wohnen"]
    assert list(project.related_events.all()) == [event]
    assert [(p.actor, p.role) for p in project.partnerships.all()] == [
        (trias, "Berät zum Erbbaurecht")
    ]
    document = ProjectDocument.objects.get()
    assert (document.file_type, document.file_size) == ("pdf", len(pdf_bytes()))
    photo = ProjectPhoto.objects.get()
    assert not photo.needs_variants
    assert photo.thumbnail.name.endswith("-480.webp")
    assert not project.is_published
    # Approaches are kept apart from topics.
    assert sorted(Approach.objects.values_list("name", flat=True)) == [
        "Kooperation",
        "Zwischennutzung",
    ]


def test_a_renamed_exe_is_refused(editor_client):
    data = form_data(editor_client.get(ADD), form_id="project_form")
    data.update({"title": "Projekt", "status": "running", "city": "Berlin", "summary": "Kurz."})
    add_inline_row(data, "documents", title="Bericht", language="de", position="1")
    data["documents-0-file"] = SimpleUploadedFile("bericht.pdf", b"MZ\x90\x00 not a pdf")
    response = editor_client.post("/en" + ADD, data)
    assert response.status_code == 200
    assertContains(response, "This file is not a document we can publish.")
    assert not Project.objects.exists()


def test_end_before_start_is_refused(editor_client):
    data = form_data(editor_client.get(ADD), form_id="project_form")
    data.update(
        {
            "title": "Projekt",
            "status": "running",
            "city": "Berlin",
            "summary": "Kurz.",
            "start": "2021-03-01",
            "end": "2021-02-01",
        }
    )
    response = editor_client.post("/en" + ADD, data)
    assert response.status_code == 200
    assertContains(response, "The project cannot end before it starts.")


def test_change_page_with_inlines_and_document_link(editor_client, find):
    project = ProjectFactory(topics=["Wohnen"], approaches=["Zwischennutzung"])
    ProjectPartnerFactory(project=project, role="Eigentümerin der Fläche")
    document = ProjectDocumentFactory(project=project, title="Bericht")
    ProjectPhotoFactory(project=project)
    response = editor_client.get("/en" + change_url(project))
    assert response.status_code == 200
    assertContains(response, 'value="Eigentümerin der Fläche"')
    assertContains(response, 'value="Bericht"')
    assertContains(
        response,
        f'href="/en/projekte/{project.slug}/dokumente/{document.pk}/{document.download_name}"',
    )
    assertContains(response, "PDF, ")
    (preview,) = [node for node in find(response, "img") if "-480.webp" in node.attrs["src"]]
    assert preview.attrs["width"] == "120"


def test_saving_unchanged_keeps_everything(admin_client):
    """Reading the form back and sending it unchanged is a no-op."""
    project = ProjectFactory(
        topics=["Wohnen"], approaches=["Zwischennutzung"], latitude=52.5, longitude=13.4
    )
    project.related_events.add(EventFactory())
    ProjectPartnerFactory(project=project, role="Berät")
    ProjectDocumentFactory(project=project, title="Bericht")
    ProjectPhotoFactory(project=project)
    data = form_data(admin_client.get(change_url(project)), form_id="project_form")
    response = admin_client.post(change_url(project), data)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    project.refresh_from_db()
    assert project.topics.names()[0] == "Wohnen"
    assert project.approaches.names()[0] == "Zwischennutzung"
    assert project.related_events.count() == 1
    assert project.partnerships.get().role == "Berät"
    assert project.documents.get().title == "Bericht"
    assert project.photos.count() == 1
    assert float(project.latitude) == 52.5


def test_deleting_a_photo_row_removes_its_files(admin_client, django_capture_on_commit_callbacks):
    project = ProjectFactory()
    photo = ProjectPhotoFactory(project=project)
    storage = photo.image.storage
    names = [photo.image.name, photo.thumbnail.name, photo.display.name]
    data = form_data(admin_client.get(change_url(project)), form_id="project_form")
    data["photos-0-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(change_url(project), data)
    assert not ProjectPhoto.objects.exists()
    assert not any(storage.exists(name) for name in names)


# --- Actions ----------------------------------------------------------------------------------


def test_publish_and_unpublish_actions(editor_client):
    drafts = [ProjectFactory(is_published=False), ProjectFactory(is_published=False)]
    other = ProjectFactory(is_published=False)
    response = editor_client.post(
        "/en" + CHANGELIST,
        {"action": "publish", "_selected_action": [project.pk for project in drafts]},
        follow=True,
    )
    assertContains(response, "2 projects published.")
    assert Project.objects.filter(is_published=True).count() == 2
    other.refresh_from_db()
    assert not other.is_published

    response = editor_client.post(
        "/en" + CHANGELIST,
        {"action": "unpublish", "_selected_action": [drafts[0].pk]},
        follow=True,
    )
    assertContains(response, "1 project unpublished.")
    assert Project.objects.filter(is_published=True).count() == 1


def test_actions_are_offered_with_readable_names(editor_client, find):
    ProjectFactory()
    response = editor_client.get("/en" + CHANGELIST)
    labels = [node.text for node in find(response, "option")]
    assert "Publish selected projects" in labels
    assert "Unpublish selected projects" in labels


# --- Publications and approaches --------------------------------------------------------------


def test_publication_pages(editor_client, find):
    publication = PublicationFactory(title="Abschlussbericht 2020")
    response = editor_client.get("/en" + PUBLICATIONS)
    assert response.status_code == 200
    assertContains(response, "Abschlussbericht 2020")
    response = editor_client.get(f"/en{PUBLICATIONS}{publication.pk}/change/")
    assert response.status_code == 200
    assertContains(
        response, f'href="/en/ergebnisse/{publication.slug}/{publication.download_name}"'
    )
    assertContains(response, "js/admin-german-slugs.js")
    (file_input,) = find(response, "input", type="file")
    assert ".pdf" in file_input.attrs["accept"]
    assert editor_client.get(f"/en{PUBLICATIONS}add/").status_code == 200


def test_add_a_publication(editor_client):
    data = form_data(editor_client.get(f"{PUBLICATIONS}add/"), form_id="publication_form")
    data.update(
        {
            "title": "Abschlussbericht der Initiative",
            "slug": "",
            "summary": "Was die Initiative erreicht hat.",
            "published_on": "01.03.2021",
            "is_published": "on",
            "language": "de",
            "file": pdf_upload("Abschlussbericht.pdf"),
        }
    )
    response = editor_client.post(f"{PUBLICATIONS}add/", data)
    assertRedirects(response, PUBLICATIONS, fetch_redirect_response=False)
    publication = Publication.objects.get()
    assert publication.slug == "abschlussbericht-der-initiative"
    assert publication.download_name == "abschlussbericht.pdf"
    assert (publication.file_type, publication.file_size) == ("pdf", len(pdf_bytes()))


def test_publication_with_a_file_that_is_no_document_is_refused(editor_client):
    data = form_data(editor_client.get(f"{PUBLICATIONS}add/"), form_id="publication_form")
    data.update(
        {
            "title": "Bericht",
            "summary": "Kurz.",
            "published_on": "01.03.2021",
            "language": "de",
            "file": SimpleUploadedFile("bericht.pdf", b"<html>nope</html>"),
        }
    )
    response = editor_client.post(f"/en{PUBLICATIONS}add/", data)
    assert response.status_code == 200
    assertContains(response, "This file is not a document we can publish.")
    assert not Publication.objects.exists()


def test_approaches_can_be_tidied(editor_client):
    project = ProjectFactory(approaches=["Zwischennutzung"])
    approach = Approach.objects.get()
    response = editor_client.get("/en/admin/projects/approach/")
    assertContains(response, "Zwischennutzung")
    data = form_data(
        editor_client.get(f"/admin/projects/approach/{approach.pk}/change/"),
        form_id="approach_form",
    )
    data["name"] = "Zwischennutzungen"
    response = editor_client.post(f"/admin/projects/approach/{approach.pk}/change/", data)
    assertRedirects(response, "/admin/projects/approach/", fetch_redirect_response=False)
    assert project.approaches.names()[0] == "Zwischennutzungen"
