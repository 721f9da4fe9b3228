"""Offers and needs: filter the list with its facets, open an actor that fits, read it in
English; axe-core finds nothing on any page visited. Texts of the data are asserted; interface
texts only where they come from the data or from numbers."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from actors.models import OfferOrNeed


def result_count(page) -> int:
    match = re.search(r"\d+", page.locator("#results-title").inner_text())
    assert match
    return int(match.group())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_data")
def test_filter_offers_open_an_actor_that_fits_and_read_it_in_english(
    live_server, page, request_log, assert_accessible
):
    published = OfferOrNeed.objects.published()
    spaces = published.filter(kind=OfferOrNeed.Kind.SPACE)

    page.goto("/angebote-und-gesuche/")
    assert result_count(page) == published.count() > 0
    assert page.locator(".offer-card").count() == published.count()
    assert_accessible(page)

    # The facets say how many each value shows; choosing two and sending the form filters.
    kind = page.locator("select#id_kind[name='kind']")
    assert kind.locator("option[value='space']").inner_text().endswith(f"({spaces.count()})")
    kind.select_option("space")
    page.locator("select#id_direction").select_option("need")
    page.locator("form[role='search'] button[type='submit']").click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("kind") == ["space"])
    needs = spaces.filter(direction=OfferOrNeed.Direction.NEED)
    assert result_count(page) == needs.count() > 0
    assert page.locator(".offer-card").count() == needs.count()
    assert_accessible(page)

    # A card leads to the actor seeking a room; its page names who offers one.
    entry = needs.select_related("actor").get(actor__name="STELLWERK Göttingen")
    page.locator(".offer-card").get_by_role("link", name=entry.actor.name).click()
    page.wait_for_url(f"**{entry.actor.get_absolute_url()}")
    matches = page.locator("#matches-title + p + .match-list")
    assert matches.get_by_role("link", name="degewo AG").is_visible()
    assert page.locator(f"#eintrag-{entry.pk}").is_visible()
    assert_accessible(page)

    # The list in English, with the facets' labels translated and the data as written.
    page.goto("/en/angebote-und-gesuche/?kind=space")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Offers and needs"
    assert result_count(page) == spaces.count()
    assert_accessible(page)

    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []
