"""The directory journey of the "foundation" issue: filter by sector, open a profile, read it in
English. The German catalogue may still be missing, so elements are found by name, id and role,
and German text is asserted only where it comes from the data."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from actors.models import Actor, Sector
from tests.actors.factories import ActorFactory, SectorFactory


def result_count(page) -> int:
    """The number in the results heading ("36 organisations", "36 Organisationen")."""
    heading = page.locator("#results-title").inner_text()
    match = re.search(r"\d+", heading)
    assert match, f"no count in the results heading {heading!r}"
    return int(match.group())


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def submit_filters(page, **expected: str) -> None:
    """Send the filter form with its button and wait for the page it leads to."""
    page.locator("form[role='search'] button[type='submit']").click()
    page.wait_for_url(
        lambda url: all(query(url).get(name) == [value] for name, value in expected.items())
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_data")
def test_filter_by_sector_open_profile_and_switch_to_english(
    live_server, page, request_log, assert_accessible
):
    housing = Sector.objects.get(slug="wohnungswirtschaft")
    published = Actor.objects.published()
    in_housing = published.filter(sector=housing).count()

    # The whole directory, paginated.
    page.goto("/akteure/")
    total = result_count(page)
    assert total == published.count()
    assert page.locator(".actor-card").count() == min(total, settings.ACTORS_PER_PAGE)
    assert_accessible(page)

    # The option tells how many the sector has; choosing it and submitting filters by it.
    sector_select = page.locator("select#id_sector[name='sector']")
    option = sector_select.locator("option[value='wohnungswirtschaft']")
    assert option.inner_text() == f"{housing.name} ({in_housing})"
    sector_select.select_option("wohnungswirtschaft")
    submit_filters(page, sector="wohnungswirtschaft")

    assert query(page.url)["sector"] == ["wohnungswirtschaft"]
    assert sector_select.input_value() == "wohnungswirtschaft"
    assert result_count(page) == in_housing != total
    cards = page.locator(".actor-card")
    assert cards.count() == in_housing
    for card in cards.all():
        # The first fact of a card is its sector.
        assert card.locator("dd").first.inner_text() == housing.name
    assert_accessible(page)

    # A card's link opens the profile.
    page.locator(".actor-card").get_by_role("link", name="degewo AG", exact=True).click()
    page.wait_for_url("**/akteure/degewo-ag/")
    assert page.locator("h1").inner_text() == "degewo AG"
    assert page.locator("html").get_attribute("lang") == "de"
    assert_accessible(page)

    # The language switch leads to the same profile in English.
    page.locator(".language-switch").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/akteure/degewo-ag/")
    assert urlsplit(page.url).path.startswith("/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "degewo AG"
    main_nav = page.get_by_role("navigation", name="Main navigation")
    main_nav.get_by_role("link", name="Actors").click()

    # The English directory, with the sectors' English names.
    page.wait_for_url("**/en/akteure/")
    assert page.locator("h1").inner_text() == "Actors"
    assert page.locator("#id_sector option[value='wohnungswirtschaft']").inner_text() == (
        f"{housing.name_en} ({in_housing})"
    )
    assert result_count(page) == total
    assert_accessible(page)

    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []


@pytest.mark.django_db(transaction=True)
def test_language_switch_keeps_the_filters(page):
    ActorFactory(sector=SectorFactory(name="Stiftungen", name_en="Foundations"))

    page.goto("/akteure/?sector=stiftungen")
    english = page.locator(".language-switch").get_by_role("link", name="English")
    english.click()

    page.wait_for_url("**/en/akteure/?sector=stiftungen")
    assert page.locator("#id_sector").input_value() == "stiftungen"
    assert result_count(page) == 1


@pytest.mark.django_db(transaction=True)
def test_unknown_filter_value_and_empty_result_are_accessible(page, assert_accessible):
    ActorFactory(name="Stiftung Trias", sector=SectorFactory(name="Stiftungen"))

    # A stale link: the sector no longer exists. The field says so and everything is shown.
    page.goto("/akteure/?sector=gibt-es-nicht")
    sector_select = page.locator("#id_sector")
    assert sector_select.get_attribute("aria-invalid") == "true"
    error_id = sector_select.get_attribute("aria-describedby")
    assert page.locator(f"#{error_id}").is_visible()
    assert result_count(page) == 1
    assert_accessible(page)

    # A search that matches nothing offers the way back to the whole directory.
    page.locator("input#id_q[name='q']").fill("Wasserwerk")
    submit_filters(page, q="Wasserwerk")
    assert query(page.url)["q"] == ["Wasserwerk"]
    assert result_count(page) == 0
    assert page.locator(".actor-card").count() == 0
    assert_accessible(page)
    page.locator(".directory__results a[href='/akteure/']").click()
    page.wait_for_url(re.compile(r"/akteure/$"))
    assert result_count(page) == 1
