"""Searching the portal from the header, and the results overview. Texts of the data are
asserted; interface texts only where they come from the data or from numbers."""

import datetime

import pytest

from tests.actors.factories import ActorFactory
from tests.events.factories import (
    BERLIN,
    EventDocumentFactory,
    EventFactory,
    ProgrammeItemFactory,
    SpeakerFactory,
)
from tests.projects.factories import ProjectDocumentFactory, ProjectFactory, PublicationFactory


@pytest.fixture
def portal(db):
    """A little of everything, most of it about the Quartier; one draft of each kind."""
    ActorFactory(
        name="Stiftung Trias",
        city="Hattingen",
        description="Boden für gemeinschaftliches Wohnen im Quartier.",
    )
    ActorFactory(name="Geheime Stiftung", description="Quartier.", is_published=False)
    event = EventFactory(
        title="Bilanzveranstaltung",
        start=datetime.datetime(2020, 12, 3, 10, tzinfo=BERLIN),
        end=datetime.datetime(2020, 12, 3, 16, tzinfo=BERLIN),
        summary="Ein Jahr Gemeinsam für das Quartier.",
        results="Die Initiative wird **fortgesetzt**.",
        documentation_published=True,
    )
    item = ProgrammeItemFactory(event=event, title="Podium")
    SpeakerFactory(programme_item=item, name="Erika Musterfrau")
    EventDocumentFactory(event=event, title="Bericht aus dem Quartier")
    project = ProjectFactory(
        title="Lebendiges Quartier",
        summary="Nachbarn beleben eine Brache.",
        lessons_learned="Zwischennutzung braucht Geduld.",
    )
    ProjectDocumentFactory(project=project, title="Projektbericht Quartier")
    ProjectFactory(title="Verborgenes Quartier", is_published=False)
    PublicationFactory(
        title="Abschlussbericht", summary="Was die Initiative im Quartier erreicht hat."
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_pages")
def test_search_from_the_header(live_server, page, request_log, assert_accessible, portal):
    page.goto("/akteure/")
    header_box = page.locator("#site-search-q")
    header_box.fill("quartier")
    header_box.press("Enter")
    page.wait_for_url(lambda url: "/suche/?q=quartier" in url)

    assert page.title().startswith("Suche: quartier") or page.title().startswith("Search: quartier")
    groups = page.locator(".search-group")
    assert groups.count() == 4
    headings = [text.split("(")[-1] for text in groups.locator("h3").all_inner_texts()]
    assert headings == ["1)", "1)", "1)", "3)"]
    results = page.locator(".search-result__title").all_inner_texts()
    assert "Stiftung Trias" in results
    assert "Lebendiges Quartier" in results
    assert "Verborgenes Quartier" not in results
    assert "Geheime Stiftung" not in results
    assert page.locator(".search-result__snippet mark").count() >= 3
    # The query stays in the page's own box.
    assert page.locator("#search-q").input_value() == "quartier"
    assert_accessible(page)

    # A speaker's name finds the event, with the button this time.
    page.locator("#search-q").fill("Musterfrau")
    page.locator(".search-form button[type='submit']").click()
    page.wait_for_url(lambda url: "q=Musterfrau" in url)
    assert page.locator(".search-result__title").all_inner_texts() == ["Bilanzveranstaltung"]
    page.get_by_role("link", name="Bilanzveranstaltung", exact=True).click()
    page.wait_for_url(lambda url: "/veranstaltungen/" in url)

    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_pages")
def test_empty_search_and_nothing_found_are_accessible(
    live_server, page, assert_accessible, portal
):
    page.goto("/suche/?q=")
    assert page.locator(".search-group").count() == 0
    assert_accessible(page)
    page.goto("/en/suche/?q=Zeppelin")
    assert page.locator(".search-group").count() == 0
    assert page.locator(".search-empty a").count() == 4
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_pages")
def test_results_overview_and_a_publication(
    live_server, page, request_log, assert_accessible, portal
):
    page.goto("/ergebnisse/")
    assert page.locator("h1").count() == 1
    entries = page.locator(".results-entry__title").all_inner_texts()
    assert entries == ["Bilanzveranstaltung", "Lebendiges Quartier", "Abschlussbericht"]
    assert_accessible(page)

    page.get_by_role("link", name="Abschlussbericht", exact=True).click()
    page.wait_for_url(lambda url: url.endswith("/ergebnisse/abschlussbericht/"))
    assert page.locator("h1").inner_text() == "Abschlussbericht"
    assert_accessible(page)
    download = page.locator("a[download]")
    assert download.count() == 1
    response = page.request.get(download.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"

    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []
