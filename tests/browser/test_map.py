"""The map of the directory: nothing from the tile server (nor the places) before the visitor
asks for the map, then tiles from there and from nowhere else. The tile server is imaginary
(tile.example.test): Playwright answers its requests, so the tests need no network and can
count them."""

import io
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.actors.factories import ActorFactory

TILE_HOST = "tile.example.test"
TILES = f"https://{TILE_HOST}/**"


def png_tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), "#dfe8d8").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def tile_server(settings):
    """Points the map at the imaginary tile server; ``tile_server(page)`` answers for it there."""
    settings.MAP_TILE_URL = f"https://{TILE_HOST}/{{z}}/{{x}}/{{y}}.png"
    settings.MAP_ATTRIBUTION = "© Kacheln zum Testen"
    body = png_tile()

    def serve(page) -> list[str]:
        served = []

        def fulfil(route):
            served.append(route.request.url)
            route.fulfill(status=200, content_type="image/png", body=body)

        page.route(TILES, fulfil)
        return served

    return serve


@pytest.fixture
def places(db):
    """Four actors with a location in two cities, one whose name looks like markup; one without."""
    located = [
        ("degewo AG", "Berlin", "52.52000", "13.41000"),
        ("HOWOGE", "Berlin", "52.51000", "13.50000"),
        ("Kunst & <b>Raum</b>", "Berlin", "52.49000", "13.39000"),
        ("Stiftung Trias", "Hattingen", "51.39900", "7.18500"),
    ]
    actors = {
        name: ActorFactory(
            name=name, city=city, latitude=Decimal(latitude), longitude=Decimal(longitude)
        )
        for name, city, latitude, longitude in located
    }
    ActorFactory(name="Ohne Ort", city="Bonn")
    return actors


def tile_requests(request_log) -> list[str]:
    return [url for url in request_log.urls() if urlsplit(url).hostname == TILE_HOST]


def leaflet_requests(request_log) -> list[str]:
    return [url for url in request_log.urls() if "/static/leaflet/" in url]


def show_map(page) -> None:
    page.locator("[data-map-show]").click()
    page.locator(".leaflet-tile-loaded").first.wait_for()


@pytest.mark.django_db(transaction=True)
def test_tiles_only_after_the_visitor_asks(
    live_server, page, request_log, tile_server, places, assert_accessible
):
    served = tile_server(page)
    page.goto("/akteure/")

    # Before the click: how many places, the box that asks, and nothing from another host;
    # not even the places, which the map loads when it is shown.
    consent = page.locator("[data-map-consent]")
    consent.wait_for(state="visible")
    assert TILE_HOST in consent.inner_text()
    assert "4 Orte mit bekannter Lage." in page.locator(".place-map").inner_text()
    assert page.locator("[data-map-canvas]").is_hidden()
    assert_accessible(page)
    page.wait_for_load_state("networkidle")
    assert request_log.foreign(live_server.url) == []
    assert tile_requests(request_log) == []
    assert leaflet_requests(request_log) == []  # Leaflet itself comes only with the map
    assert [url for url in request_log.urls() if "orte.json" in url] == []

    show_map(page)

    # After it: a marker for each place, tiles from the tile server and from nowhere else.
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() == len(places)
    assert sorted(markers.evaluate_all("icons => icons.map(icon => icon.alt)")) == sorted(places)
    foreign = request_log.foreign(live_server.url)
    assert foreign
    assert all(urlsplit(url).hostname == TILE_HOST for url in foreign), foreign
    assert served
    assert "© Kacheln zum Testen" in page.locator(".leaflet-control-attribution").inner_text()
    # The button is gone; the map has the focus and a name, and the link to the list is
    # still there.
    assert consent.is_hidden()
    canvas = page.locator("[data-map-canvas]")
    assert canvas.evaluate("canvas => canvas === document.activeElement")
    assert canvas.get_attribute("aria-label")
    assert page.locator("[data-place-list-link]").is_visible()
    assert [url for url in request_log.urls() if "orte.json" in url] == [
        f"{live_server.url}/akteure/orte.json"
    ]
    assert_accessible(page)

    # A marker's popup, opened from the keyboard, links to the page; a name that looks like
    # markup stays text. (The Berlin markers overlap at this zoom: a mouse click may miss.)
    marker = page.locator(".leaflet-marker-icon[alt='Kunst & <b>Raum</b>']")
    marker.focus()
    marker.press("Enter")
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    assert link.inner_text() == "Kunst & <b>Raum</b>"
    assert page.locator(".leaflet-popup-content b").count() == 0
    assert link.get_attribute("href") == places["Kunst & <b>Raum</b>"].get_absolute_url()
    assert "Berlin" in page.locator(".leaflet-popup-content").inner_text()
    assert_accessible(page)

    assert request_log.failed() == []


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_places_are_a_list(live_server, browser, tile_server, places):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    tile_server(page)

    page.goto("/en/akteure/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".place-map h2").inner_text() == "Places on the map"
    page.locator("[data-place-list-link]").click()
    page.wait_for_load_state("networkidle")

    assert page.url == f"{live_server.url}/en/akteure/orte/"
    assert page.locator(".place-map h3").all_inner_texts() == ["Berlin", "Hattingen"]
    links = page.locator(".place-list a")
    assert links.count() == 4
    assert links.filter(has_text="Stiftung Trias").get_attribute("href") == (
        "/en/akteure/stiftung-trias/"
    )
    # The box would offer a button that does nothing without JavaScript: it stays hidden.
    assert page.locator("[data-map-consent]").is_hidden()
    assert page.locator("[data-map-show]").is_hidden()
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_policy_lets_the_tiles_in_and_nothing_else(live_server, browser, tile_server, places):
    """With the Content-Security-Policy enforced (the other tests bypass it for axe)."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)  # a blocked tile would otherwise wait 30 s
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    served = tile_server(page)
    elsewhere = []
    page.route(
        "https://elsewhere.example.test/**",
        lambda route: (elsewhere.append(route.request.url), route.abort()),
    )

    page.goto("/akteure/")
    show_map(page)
    assert served
    assert page.locator(".leaflet-marker-icon").count() == len(places)
    assert refused == []

    # Any other host stays blocked on the map's page: images, scripts, requests.
    page.evaluate(
        """() => {
            const image = document.createElement("img");
            image.src = "https://elsewhere.example.test/pixel.png";
            image.alt = "";
            document.body.append(image);
            const script = document.createElement("script");
            script.src = "https://elsewhere.example.test/script.js";
            document.body.append(script);
            return fetch("https://elsewhere.example.test/data.json").catch(() => null);
        }"""
    )
    page.wait_for_timeout(200)
    assert elsewhere == []
    for blocked in ("pixel.png", "script.js", "data.json"):
        assert any(blocked in message for message in refused), refused

    # The choice holds for this tab: the map comes back on the next page without asking.
    tiles_before = len(served)
    page.reload()
    page.locator(".leaflet-tile-loaded").first.wait_for()
    assert page.locator("[data-map-consent]").is_hidden()
    assert len(served) > tiles_before

    # A new visit asks again.
    other = context.new_page()
    tile_server(other)
    other.goto("/akteure/")
    other.locator("[data-map-consent]").wait_for(state="visible")
    other.wait_for_load_state("networkidle")
    assert other.locator(".leaflet-tile").count() == 0
    context.close()


@pytest.mark.django_db(transaction=True)
def test_when_leaflet_cannot_load_the_list_remains(
    live_server, page, tile_server, places, assert_accessible
):
    served = tile_server(page)
    page.route("**/static/leaflet/leaflet.js", lambda route: route.abort())
    page.goto("/akteure/")

    page.locator("[data-map-show]").click()

    error = page.locator("[data-map-error]")
    error.wait_for(state="visible")
    assert error.get_attribute("role") == "alert"
    assert page.locator("[data-map-canvas]").is_hidden()
    assert page.locator("[data-map-show]").is_visible()  # to try again
    assert page.locator("[data-place-list-link]").is_visible()
    assert served == []
    assert_accessible(page)
