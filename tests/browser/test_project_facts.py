"""The project list filtered by the projects' facts with the form alone (no script needed),
and the facts on a project's page, in German and English; axe-core on every page visited."""

import datetime

import pytest

from projects.models import BudgetRange, FederalState, PlaceSize
from tests.projects.factories import ProjectFactory


@pytest.fixture
def projects(db):
    ProjectFactory(
        title="Markt für alle",
        city="Bernburg",
        start=datetime.date(2021, 5, 1),
        federal_state=FederalState.SAXONY_ANHALT,
        place_size=PlaceSize.MEDIUM_TOWN,
        start_year=2021,
        budget_range=BudgetRange.UNDER_50K,
        funding_programme="Lebendige Zentren",
        why_transferable="Es braucht nur **einen leeren Laden**.",
    )
    ProjectFactory(
        title="Hof im Dorf",
        city="Prädikow",
        start=datetime.date(2022, 9, 1),
        federal_state=FederalState.BRANDENBURG,
        place_size=PlaceSize.RURAL,
        start_year=2022,
        budget_range=BudgetRange.UNDER_50K,
    )
    ProjectFactory(title="Ohne Angaben", start=None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("projects")
def test_filter_by_the_facts_and_read_them_on_the_project(
    live_server, page, request_log, assert_accessible
):
    page.goto("/projekte/")
    assert page.locator(".project-card").count() == 3
    assert page.locator("select#id_state option").all_inner_texts() == [
        "Alle Bundesländer",
        "Brandenburg (1)",
        "Sachsen-Anhalt (1)",
    ]
    assert_accessible(page)

    # Two filters by the facts, sent with the form's button: the counts follow them.
    page.locator("select#id_budget").select_option("under_50k")
    page.locator("select#id_size").select_option("medium_town")
    page.locator("form.filter-form button[type='submit']").click()
    page.wait_for_url(lambda url: "size=medium_town" in url and "budget=under_50k" in url)
    assert page.locator(".project-card").count() == 1
    assert "Markt für alle" in page.locator(".project-card").inner_text()
    assert page.locator("select#id_year option").all_inner_texts() == [
        "Alle Jahre",
        "2021 (1)",
        "2022 (0)",
    ]
    assert_accessible(page)

    # A combination that leaves nothing says so.
    page.locator("select#id_year").select_option("2022")
    page.locator("form.filter-form button[type='submit']").click()
    page.wait_for_url(lambda url: "year=2022" in url)
    assert page.locator(".project-card").count() == 0
    assert page.get_by_text("Kein Projekt entspricht diesen Filtern.").count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Filter entfernen – Startjahr: 2022").click()
    page.wait_for_url(lambda url: "year=" not in url)
    page.get_by_role("link", name="Markt für alle", exact=True).click()
    page.locator("h1", has_text="Markt für alle").wait_for()
    facts = page.locator(".project__facts").inner_text()
    for shown in ("Sachsen-Anhalt", "Mittelstadt", "2021", "unter 50.000 €", "Lebendige Zentren"):
        assert shown in facts
    assert "einen leeren Laden" in page.locator(".project-results").inner_text()
    assert_accessible(page)

    page.goto(page.url.replace("/projekte/", "/en/projekte/"))
    facts = page.locator(".project__facts").inner_text()
    for shown in ("Saxony-Anhalt", "Medium-sized town", "2021", "under €50,000"):
        assert shown in facts
    assert_accessible(page)

    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []
