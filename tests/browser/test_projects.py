"""The projects journey: filter the list with the form, open a project, look at its gallery
with credits, download its report; the map stays a list until the visitor asks for it. German
text is asserted only where it comes from the data (the catalogue may lag behind the templates)."""

import datetime
from decimal import Decimal

import pytest

from projects.models import Project
from tests.actors.factories import ActorFactory
from tests.events.factories import BERLIN, EventFactory
from tests.projects.factories import (
    ProjectDocumentFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    ProjectPhotoFactory,
)


@pytest.fixture
def projects(db):
    """A completed project with partners, results, a report and two photos; two others."""
    degewo = ActorFactory(name="degewo AG")
    project = ProjectFactory(
        title="Erdgeschosse für die Nachbarschaft",
        status=Project.Status.COMPLETED,
        city="Berlin",
        neighbourhood="Gropiusstadt",
        latitude=Decimal("52.52"),
        longitude=Decimal("13.405"),
        start=datetime.date(2021, 3, 1),
        end=datetime.date(2023, 6, 30),
        lead_actor=degewo,
        summary="Leere Läden werden Orte für die Nachbarschaft.",
        description="Ein Wohnungsunternehmen öffnet **Erdgeschosse**.",
        lessons_learned="Kurze Verträge helfen.",
        transferability="Der Mustervertrag lässt sich übernehmen.",
        topics=["Wohnungswirtschaft"],
        approaches=["Zwischennutzung"],
    )
    ProjectPartnerFactory(
        project=project, actor=ActorFactory(name="Stiftung Trias"), role="Beratung"
    )
    project.related_events.add(
        EventFactory(
            title="Werkstattgespräch Wohnen",
            start=datetime.datetime(2020, 3, 12, 14, 0, tzinfo=BERLIN),
        )
    )
    ProjectDocumentFactory(project=project, title="Abschlussbericht")
    ProjectPhotoFactory(
        project=project, caption="Eröffnung", credit="© degewo", licence="cc-by-4.0", position=1
    )
    ProjectPhotoFactory(project=project, caption="Werkstatt im Laden", position=2)
    ProjectFactory(title="Kulturwerkstatt", city="Göttingen", status=Project.Status.RUNNING)
    ProjectFactory(title="Nachbarschaftshaus", status=Project.Status.PLANNED, start=None)
    return project


@pytest.mark.django_db(transaction=True)
def test_filter_open_a_project_and_see_its_gallery(
    live_server, page, request_log, assert_accessible, projects
):
    page.goto("/projekte/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator(".project-card").count() == 3
    # The map links to its places, listed by city, until the visitor asks for more.
    page.locator("[data-place-list-link]").click()
    page.wait_for_url("**/projekte/orte/")
    assert page.locator(".place-list a", has_text="Erdgeschosse für die Nachbarschaft").count()
    assert_accessible(page)
    page.go_back()
    assert_accessible(page)

    # Filtering by status narrows the list, without JavaScript: a GET form and its button.
    page.locator("select#id_status").select_option("completed")
    page.locator("form.filter-form button[type='submit']").click()
    page.wait_for_url(lambda url: "status=completed" in url)
    assert page.locator(".project-card").count() == 1
    assert "(1)" in page.locator("select#id_status option[value='completed']").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Erdgeschosse für die Nachbarschaft", exact=True).first.click()
    page.wait_for_url(f"**{projects.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Erdgeschosse für die Nachbarschaft"
    assert "Gropiusstadt" in page.locator(".project__facts").inner_text()
    partners = page.locator(".partner-list").inner_text()
    assert "degewo AG" in partners and "Stiftung Trias" in partners and "Beratung" in partners
    assert "Kurze Verträge helfen." in page.locator(".project-results").inner_text()
    assert page.locator(".event-links a", has_text="Werkstattgespräch Wohnen").count() == 1

    # The gallery: two photos, each with its caption and credit, loaded in gallery size.
    figures = page.locator(".gallery figure")
    assert figures.count() == 2
    captions = [caption.inner_text() for caption in figures.locator("figcaption").all()]
    assert "Eröffnung" in captions[0]
    assert "© degewo · CC BY 4.0" in captions[0]
    assert "Werkstatt im Laden" in captions[1]
    for image in figures.locator("img").all():
        image.scroll_into_view_if_needed()
        image.evaluate("(img) => img.decode()")
        assert image.evaluate("(img) => img.naturalWidth") == 480
        assert image.get_attribute("src").endswith("-480.webp")
    assert_accessible(page)

    # The report downloads as the PDF it is.
    link = page.locator(".document-list a", has_text="Abschlussbericht")
    assert "PDF" in link.inner_text()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "projektbericht.pdf"
    with open(download.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"

    # The enlarged photo is the display size, not the upload.
    display_url = figures.first.locator("a").get_attribute("href")
    assert display_url.endswith("-1280.webp")
    assert page.request.get(display_url).status == 200

    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []


@pytest.mark.django_db(transaction=True)
def test_english_project_pages_and_the_way_back_from_the_actor(
    live_server, page, assert_accessible, projects
):
    page.goto(f"/en{projects.get_absolute_url()}")
    assert page.locator(".project__status").inner_text() == "Completed"
    assert page.locator("nav.portal-nav [aria-current='page']").inner_text() == "Projects"
    assert_accessible(page)

    # The lead's page lists the project and leads back to it.
    page.locator(".partner-list a", has_text="degewo AG").click()
    page.wait_for_url("**/en/akteure/degewo-ag/")
    page.locator("#projects-title + .project-links").get_by_role(
        "link", name="Erdgeschosse für die Nachbarschaft"
    ).click()
    page.wait_for_url(f"**/en{projects.get_absolute_url()}")
    assert_accessible(page)
