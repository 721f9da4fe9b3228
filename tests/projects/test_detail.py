import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from projects.models import Project
from quartier.links import absolute_url
from tests.actors.factories import ActorFactory
from tests.events.factories import BERLIN, EventFactory
from tests.events.test_downloads import docx_bytes, fetch

from .factories import ProjectDocumentFactory, ProjectFactory, ProjectPartnerFactory

pytestmark = pytest.mark.django_db


def with_class(nodes, name: str) -> list:
    """The nodes that carry the CSS class ``name`` (among others)."""
    return [node for node in nodes if name in node.attrs.get("class", "").split()]


def meta_properties(find, response) -> dict[str, list[str]]:
    properties: dict[str, list[str]] = {}
    for node in find(response, "meta"):
        if "property" in node.attrs:
            properties.setdefault(node.attrs["property"], []).append(node.attrs["content"])
    return properties


# --- who sees what --------------------------------------------------------------------------


def test_published_project_has_a_page(client, find):
    project = ProjectFactory(title="Kulturwerkstatt")
    response = client.get("/projekte/kulturwerkstatt/")
    assert response.status_code == 200
    assert response.context["project"] == project
    (heading,) = find(response, "h1")
    assert heading.text == "Kulturwerkstatt"


def test_draft_is_not_found(client):
    project = ProjectFactory(is_published=False)
    assert client.get(project.get_absolute_url()).status_code == 404


def test_unknown_project_is_not_found(client):
    assert client.get("/projekte/gibt-es-nicht/").status_code == 404


def test_editors_see_a_draft_with_a_notice(staff_client):
    project = ProjectFactory(is_published=False)
    response = staff_client.get(f"/en{project.get_absolute_url()}")
    assert response.status_code == 200
    assertContains(response, "Draft: this project is not published")


def test_published_page_has_no_draft_notice(staff_client):
    response = staff_client.get(f"/en{ProjectFactory().get_absolute_url()}")
    assertNotContains(response, "Draft:")


def test_navigation_marks_projects(client, find):
    response = client.get(f"/en{ProjectFactory().get_absolute_url()}")
    (current,) = find(response, "a", **{"aria-current": "page"})
    assert current.attrs["href"] == "/en/projekte/"


# --- facts ----------------------------------------------------------------------------------


def test_page_shows_status_period_place_summary_and_website(client, full_project, find):
    project = full_project()
    response = client.get(f"/en{project.get_absolute_url()}")
    (facts,) = with_class(find(response, "dl"), "project__facts")
    assert "Berlin , Gropiusstadt" in facts.text
    assert "2021 – 2023" in facts.text
    (status,) = with_class(find(response, "p"), "project__status")
    assert status.text == "Completed"
    assertContains(response, project.summary)
    assertContains(
        response,
        '<a class="kern-link" href="/en/projekte/?city=Berlin">Berlin</a>',
        html=True,
    )
    assertContains(
        response,
        '<a class="kern-link" href="https://erdgeschosse.example/" rel="noopener noreferrer">'
        "https://erdgeschosse.example/</a>",
        html=True,
    )


def test_approaches_and_topics(client, full_project, find):
    response = client.get(full_project().get_absolute_url())
    topics = [node.text for node in find(response, "a") if "?topic=" in node.attrs.get("href", "")]
    assert topics == ["Kreativwirtschaft", "Wohnungswirtschaft"]
    assertContains(response, '<span class="kern-label">Zwischennutzung</span>', html=True)


def test_title_and_description(client, find):
    project = ProjectFactory(title="Boden für alle", summary="Ein Haus in gemeinsamer Hand.")
    response = client.get(project.get_absolute_url())
    (title,) = find(response, "title")
    assert title.text.startswith("Boden für alle – ")
    (description,) = find(response, "meta", name="description")
    assert description.attrs["content"] == "Ein Haus in gemeinsamer Hand."


def test_description_is_rendered_as_sanitised_markdown(client):
    project = ProjectFactory(
        description="Wir öffnen **Erdgeschosse**.\n\n<script>alert(1)</script>"
        '<img src="https://tracker.example/p.gif">'
    )
    response = client.get(project.get_absolute_url())
    assertContains(response, "<strong>Erdgeschosse</strong>", html=True)
    content = response.content.decode()
    assert "alert(1)</script>" not in content
    assert "tracker.example" not in content


# --- who works together ---------------------------------------------------------------------


def test_lead_and_partners_with_roles_link_to_published_actors(client, full_project, find):
    response = client.get(f"/en{full_project().get_absolute_url()}")
    items = [
        (item.text.split("  ")[0], item.text)
        for item in with_class(find(response, "li"), "partner-list__item")
    ]
    assert [text for _, text in items] == [
        "degewo AG Lead",
        "HOWOGE Partner",
        "Stiftung Trias Berät zum Erbbaurecht",
    ]
    for name, slug in [
        ("degewo AG", "degewo-ag"),
        ("HOWOGE", "howoge"),
        ("Stiftung Trias", "stiftung-trias"),
    ]:
        assertContains(
            response, f'<a class="kern-link" href="/en/akteure/{slug}/">{name}</a>', html=True
        )
    assertNotContains(response, "Verborgener Partner")
    assertNotContains(response, "Geheim")


def test_unpublished_lead_is_not_shown(client):
    project = ProjectFactory(
        lead_actor=ActorFactory(name="Noch nicht sichtbar", is_published=False)
    )
    response = client.get(project.get_absolute_url())
    assertNotContains(response, "Noch nicht sichtbar")
    assertNotContains(response, "partners-title")


# --- related events -------------------------------------------------------------------------


def test_related_events_with_date_published_only(client, full_project, find):
    project = full_project()
    response = client.get(project.get_absolute_url())
    links = with_class(find(response, "li"), "event-links__item")
    assert len(links) == 1
    assert links[0].text.startswith("12. März 2020 Werkstattgespräch Wohnen")
    assertContains(
        response, '<time class="event-links__date" datetime="2020-03-12T14:00:00+01:00">'
    )
    assertNotContains(response, "Entwurf einer Veranstaltung")


def test_event_page_lists_its_published_projects(client, find):
    event = EventFactory(title="Werkstattgespräch Wohnen")
    shown = ProjectFactory(title="Erdgeschosse", city="Berlin", neighbourhood="Wedding")
    hidden = ProjectFactory(title="Geheimes Projekt", is_published=False)
    ProjectFactory(title="Anderes Projekt")
    shown.related_events.add(event)
    hidden.related_events.add(event)
    shown_url = shown.get_absolute_url()
    response = client.get(f"/en{event.get_absolute_url()}")
    (heading,) = find(response, "h2", id="projects-title")
    assert heading.text == "Related projects"
    items = with_class(find(response, "li"), "project-links__item")
    assert [item.text for item in items] == ["Erdgeschosse Berlin, Wedding · Running"]
    assertContains(
        response,
        f'<a class="kern-link" href="/en{shown_url}">Erdgeschosse</a>',
        html=True,
    )
    assertNotContains(response, "Geheimes Projekt")


def test_event_page_without_projects_has_no_section(client, find):
    response = client.get(EventFactory().get_absolute_url())
    assert not find(response, "h2", id="projects-title")


# --- the actor's page -----------------------------------------------------------------------


def test_actor_page_lists_the_projects_it_leads_or_partners_in(client, find):
    trias = ActorFactory(name="Stiftung Trias")
    ProjectFactory(title="Boden für alle", lead_actor=trias, city="Berlin")
    partner_in = ProjectFactory(title="Erdgeschosse", city="Göttingen")
    ProjectPartnerFactory(project=partner_in, actor=trias, role="Beratung zum Erbbaurecht")
    plain = ProjectFactory(title="Kulturwerkstatt", status=Project.Status.PLANNED)
    ProjectPartnerFactory(project=plain, actor=trias, role="")
    both = ProjectFactory(title="Nachbarschaftshaus", lead_actor=trias)
    ProjectPartnerFactory(project=both, actor=trias, role="Auch Partner")
    draft = ProjectFactory(title="Geheimes Projekt", lead_actor=trias, is_published=False)
    ProjectPartnerFactory(project=draft, actor=trias)
    ProjectFactory(title="Fremdes Projekt")

    response = client.get(f"/en{trias.get_absolute_url()}")
    (heading,) = find(response, "h2", id="projects-title")
    assert heading.text == "Projects"
    items = [item.text for item in with_class(find(response, "li"), "project-links__item")]
    assert items == [
        "Boden für alle Berlin, Wedding · Running Lead",
        "Erdgeschosse Göttingen, Wedding · Running Beratung zum Erbbaurecht",
        "Kulturwerkstatt Berlin, Wedding · Planned Partner",
        "Nachbarschaftshaus Berlin, Wedding · Running Lead",
    ]
    assertNotContains(response, "Geheimes Projekt")
    assertNotContains(response, "Fremdes Projekt")


def test_actor_page_without_projects_has_no_section(client, find):
    response = client.get(ActorFactory().get_absolute_url())
    assert not find(response, "h2", id="projects-title")


# --- results --------------------------------------------------------------------------------


def test_results_are_shown_as_markdown(client, full_project, find):
    response = client.get(f"/en{full_project().get_absolute_url()}")
    (results,) = find(response, "h2", id="results-title")
    assert results.text == "Results"
    (lessons,) = find(response, "h3", id="lessons-title")
    assert lessons.text == "What we learned"
    (transfer,) = find(response, "h3", id="transfer-title")
    assert transfer.text == "What others can take from it"
    assertContains(response, "<p>Kurze Verträge <strong>helfen</strong>.</p>", html=True)
    assertContains(response, "<p>Der <em>Mustervertrag</em> lässt sich übernehmen.</p>", html=True)


def test_only_the_results_written_are_shown(client, find):
    project = ProjectFactory(lessons_learned="Gelernt.", transferability="")
    response = client.get(project.get_absolute_url())
    assert find(response, "h3", id="lessons-title")
    assert not find(response, "h3", id="transfer-title")
    response = client.get(ProjectFactory().get_absolute_url())
    assert not find(response, "h2", id="results-title")


# --- documents ------------------------------------------------------------------------------


def document_url(document, filename=None) -> str:
    return reverse(
        "projects:document",
        kwargs={
            "slug": document.project.slug,
            "pk": document.pk,
            "filename": filename or document.download_name,
        },
    )


def test_documents_with_type_size_and_language(client, full_project, find):
    project = full_project()
    ProjectDocumentFactory(
        project=project, title="Slides", language="en", file_size=2_516_582, position=5
    )
    page_url = project.get_absolute_url()
    report, slides = project.documents.all()
    report_url, slides_url = document_url(report), document_url(slides)

    german = client.get(page_url)
    (link,) = [node for node in find(german, "a") if node.attrs.get("href") == report_url]
    assert link.text.startswith("Abschlussbericht")
    assert "(PDF," in link.text
    assert link.attrs["hreflang"] == "de"
    assertContains(german, "(PDF, 2,4\xa0MB, Englisch, Barrierefreiheit unbekannt)")
    assertContains(german, f'href="{slides_url}"')

    english = client.get(f"/en{page_url}")
    assertContains(english, "(PDF, 2.4\xa0MB, English, accessibility unknown)")
    assertContains(english, f'href="/en{report_url}"')


def test_pdf_is_shown_in_the_browser_with_safe_headers(client):
    document = ProjectDocumentFactory(project=ProjectFactory(title="Erdgeschosse"))
    response = fetch(client, document_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="projektbericht.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert int(response["Content-Length"]) == document.file_size
    assert response.body.startswith(b"%PDF-")


def test_office_document_is_downloaded(client):
    document = ProjectDocumentFactory(
        file=ContentFile(docx_bytes(), name="Mustervertrag.docx"), file_type="docx"
    )
    response = fetch(client, document_url(document))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mustervertrag.docx"'
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("filename", ["anderer-name.pdf", "projektbericht.PDF", "x.pdf.html"])
def test_another_filename_is_not_found(client, filename):
    document = ProjectDocumentFactory()
    assert fetch(client, document_url(document, filename)).status_code == 404


def test_document_under_another_project_is_not_found(client):
    document = ProjectDocumentFactory()
    other = ProjectFactory()
    url = reverse(
        "projects:document",
        kwargs={"slug": other.slug, "pk": document.pk, "filename": document.download_name},
    )
    assert fetch(client, url).status_code == 404


def test_document_of_a_draft_is_not_found_but_editors_get_it(staff_client):
    document = ProjectDocumentFactory(project=ProjectFactory(is_published=False))
    url = document_url(document)
    assert fetch(Client(), url).status_code == 404
    assert fetch(staff_client, url).status_code == 200


def test_document_whose_file_is_missing_is_not_found(client):
    document = ProjectDocumentFactory()
    document.file.storage.delete(document.file.name)
    assert fetch(client, document_url(document)).status_code == 404


def test_documents_are_read_only(client):
    document = ProjectDocumentFactory()
    assert client.post(document_url(document)).status_code == 405
    assert fetch(client, document_url(document), method="head").status_code == 200


# --- photos ---------------------------------------------------------------------------------


def test_gallery_uses_the_variants_with_credits(client, full_project, find):
    project = full_project()
    response = client.get(f"/en{project.get_absolute_url()}")
    figures = with_class(find(response, "figure"), "gallery__item")
    assert len(figures) == 2
    assert "Eröffnung" in figures[0].text
    assert "© degewo · CC BY 4.0" in figures[0].text
    assert "Werkstatt" in figures[1].text
    assertNotContains(response, "Gruppenbild ohne Zustimmung")
    first, second = project.photos.public()
    links = with_class(find(response, "a"), "gallery__link")
    assert [link.attrs["href"] for link in links] == [first.display.url, second.display.url]
    assert all(link.attrs["href"].endswith("-1280.webp") for link in links)
    images = [node.attrs["src"] for node in find(response, "img")]
    assert images == [first.thumbnail.url, second.thumbnail.url]
    assertNotContains(response, first.image.name)
    assertContains(response, 'href="/en/bildnachweise/"')


# --- Open Graph -----------------------------------------------------------------------------


def test_open_graph_tags(client, full_project, find):
    project = full_project()
    first_photo = project.photos.public().first()
    url = project.get_absolute_url()
    response = client.get(url)
    tags = meta_properties(find, response)
    for name in ["og:title", "og:description", "og:type", "og:url", "og:image", "og:locale"]:
        assert len(tags[name]) == 1, name
    assert tags["og:title"] == [project.title]
    assert tags["og:description"] == [project.summary]
    assert tags["og:type"] == ["article"]
    assert tags["og:url"] == [absolute_url(project.get_absolute_url())]
    assert tags["og:image"] == [absolute_url(first_photo.display.url)]
    assert tags["og:locale"] == ["de_DE"]
    assert tags["og:site_name"] == ["Gemeinsam für das Quartier"]

    english = meta_properties(find, client.get(f"/en{url}"))
    assert english["og:locale"] == ["en_GB"]
    assert english["og:url"] == [absolute_url(f"/en{url}")]


def test_open_graph_without_photo_has_no_image(client, find):
    tags = meta_properties(find, client.get(ProjectFactory().get_absolute_url()))
    assert "og:image" not in tags
    assert tags["og:type"] == ["article"]


def test_event_dates_are_shown_in_berlin(client):
    project = ProjectFactory()
    project.related_events.add(
        EventFactory(
            start=datetime.datetime(2020, 12, 31, 23, 30, tzinfo=BERLIN),
            end=datetime.datetime(2021, 1, 1, 1, 0, tzinfo=BERLIN),
        )
    )
    assertContains(client.get(project.get_absolute_url()), "31. Dezember 2020</time>")
