"""A visitor keeps the results to accessible documents with the filter's checkbox and reads,
in every document list, whether a file is tagged. axe-core checks each page on the way."""

import datetime

import pytest

from quartier.media import DocumentInspection
from tests.events.factories import BERLIN, EventDocumentFactory, EventFactory
from tests.projects.factories import PublicationFactory

TAGGED = {"inspection": DocumentInspection.INSPECTED, "is_tagged": True, "has_text": True}
SCAN = {"inspection": DocumentInspection.INSPECTED, "is_tagged": False, "has_text": False}


@pytest.fixture
def documents(db):
    event = EventFactory(
        title="Bilanzveranstaltung",
        start=datetime.datetime(2020, 12, 3, 10, tzinfo=BERLIN),
        end=datetime.datetime(2020, 12, 3, 16, tzinfo=BERLIN),
        results="Die Initiative wird fortgesetzt.",
        documentation_published=True,
    )
    EventDocumentFactory(event=event, title="Getaggter Bericht", page_count=12, **TAGGED)
    EventDocumentFactory(event=event, title="Eingescanntes Protokoll", page_count=3, **SCAN)
    workshop = EventFactory(
        title="Werkstattgespräch",
        start=datetime.datetime(2020, 6, 3, 10, tzinfo=BERLIN),
        end=datetime.datetime(2020, 6, 3, 16, tzinfo=BERLIN),
        results="Ein Protokoll als Scan.",
        documentation_published=True,
    )
    EventDocumentFactory(event=workshop, title="Protokoll", page_count=2, **SCAN)
    PublicationFactory(title="Abschlussbericht", page_count=40, **TAGGED)
    PublicationFactory(title="Alter Scan", **SCAN)
    return event


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_pages")
def test_filter_results_to_accessible_documents(
    live_server, page, request_log, assert_accessible, documents
):
    page.goto("/ergebnisse/")
    titles = page.locator(".results-entry__title").all_inner_texts()
    assert titles == ["Bilanzveranstaltung", "Werkstattgespräch", "Abschlussbericht", "Alter Scan"]
    assert_accessible(page)

    page.get_by_label("Nur Einträge mit barrierearmen Dokumenten").check()
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url(lambda url: "barrierearm=1" in url)
    assert page.locator(".results-entry__title").all_inner_texts() == [
        "Bilanzveranstaltung",
        "Abschlussbericht",
    ]
    assert "1 barrierearmes Dokument" in page.locator(".results-entry__meta").first.inner_text()
    assert page.get_by_label("Nur Einträge mit barrierearmen Dokumenten").is_checked()
    assert_accessible(page)

    page.get_by_role("link", name="Bilanzveranstaltung", exact=True).click()
    page.wait_for_url(lambda url: "/veranstaltungen/" in url)
    facts = page.locator(".document-list__meta").all_inner_texts()
    assert facts[0].startswith("(PDF, 12 Seiten, ")
    assert facts[0].endswith(", Deutsch, barrierearm: getaggt)")
    assert facts[1].endswith(", Deutsch, nicht getaggt, ohne Textebene)")
    assert_accessible(page)

    page.goto("/en/ergebnisse/abschlussbericht/")
    assert page.locator(".publication__facts").inner_text().count("40 pages") == 1
    assert "Accessible: tagged" in page.locator(".publication__facts").inner_text()
    assert_accessible(page)

    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []
