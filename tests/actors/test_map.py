"""The directory's places: listed by city, filtered like the directory, nothing from other hosts."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.views import ActorPlaceListView
from quartier.maps import places_by_city as group_by_city
from quartier.middleware import CONTENT_SECURITY_POLICY

from .factories import ActorFactory

pytestmark = pytest.mark.django_db

TILE_URL = "https://tile.example.test/{z}/{x}/{y}.png"


@pytest.fixture(autouse=True)
def _tiles(settings):
    settings.MAP_TILE_URL = TILE_URL
    settings.MAP_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OSM</a>'


@pytest.fixture
def located(directory):
    """Five of the directory's actors get a location; the draft has one too."""
    coordinates = {
        "trias": ("51.39", "7.17"),
        "montag": ("50.73", "7.10"),
        "degewo": ("52.52", "13.41"),
        "howoge": ("52.51", "13.50"),
        "baukultur": ("52.40", "13.06"),
        "draft": ("50.00", "10.00"),
    }
    for key, (latitude, longitude) in coordinates.items():
        actor = directory[key]
        actor.latitude, actor.longitude = Decimal(latitude), Decimal(longitude)
        actor.save()
    return directory


def with_attribute(nodes, name: str) -> list:
    return [node for node in nodes if name in node.attrs]


def places_by_city(response) -> list[tuple[str, list[str]]]:
    """The places a page of places lists, by city, by name."""
    return [
        (city, [place.name for place in places])
        for city, places in group_by_city(response.context["places"])
    ]


def json_places(client, path: str, query=None) -> list[dict]:
    response = client.get(path, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["places"]


def test_the_directory_counts_its_places_and_links_to_them(client, located, find):
    response = client.get("/en/akteure/")
    assert response.context["place_count"] == 5
    (section,) = find(response, "section", **{"class": "place-map"})
    assert "5 places with a known location." in section.text
    assert find(response, "h2", id="places-title")[0].text == "Places on the map"
    (link,) = [node for node in find(response, "a") if "data-place-list-link" in node.attrs]
    assert link.attrs["href"] == "/en/akteure/orte/"
    # Not listed here, nor embedded for the script: they are loaded when the map is shown.
    assert find(response, "ul", **{"class": "place-list"}) == []
    assert find(response, "script", type="application/json") == []
    assert section.attrs["data-places-url"] == "/en/akteure/orte.json"


def test_actors_with_a_location_are_listed_by_city(client, located, find):
    response = client.get("/en/akteure/orte/")

    assert places_by_city(response) == [
        ("Berlin", ["degewo AG", "HOWOGE"]),
        ("Bonn", ["Montag Stiftung Urbane Räume"]),
        ("Hattingen", ["Stiftung Trias"]),
        ("Potsdam", ["Bundesstiftung Baukultur"]),
    ]
    # What the visitor reads: a heading per city, each place a link to its page, with its kind.
    assert find(response, "h1")[0].text == "Places of the actors"
    headings = [node.text for node in find(response, "h3", **{"class": "kern-heading-small"})]
    assert headings == ["Berlin", "Bonn", "Hattingen", "Potsdam"]
    cities = find(response, "div", **{"class": "place-map__city"})
    assert "degewo AG" in cities[0].text and "HOWOGE" in cities[0].text
    assert "(Actor)" in cities[0].text
    links = {
        node.text: node.attrs["href"] for node in find(response, "a", **{"class": "kern-link"})
    }
    assert links["Stiftung Trias"] == "/en/akteure/stiftung-trias/"
    assert links["Back to the list: Actors"] == "/en/akteure/"
    assert find(response, "h2", id="places-title")[0].text == "Places on the map"
    # The draft stays hidden, on the map as everywhere.
    assert "Geheime Stiftung" not in response.content.decode()


def test_the_places_follow_the_directorys_filters(client, located):
    response = client.get("/akteure/", {"sector": "stiftungen", "page": "1"})
    assert response.context["place_count"] == 2
    assert response.context["places_list_url"] == "/akteure/orte/?sector=stiftungen"
    response = client.get(response.context["places_list_url"])
    assert places_by_city(response) == [
        ("Bonn", ["Montag Stiftung Urbane Räume"]),
        ("Hattingen", ["Stiftung Trias"]),
    ]

    query = {"city": "Berlin", "q": "kommunale"}
    assert places_by_city(client.get("/akteure/orte/", query)) == [("Berlin", ["HOWOGE"])]
    assert [place["name"] for place in json_places(client, "/akteure/orte.json", query)] == [
        "HOWOGE"
    ]

    # A stale filter value is ignored by the places as by the directory.
    query = {"sector": "gibt-es-nicht", "city": "Potsdam"}
    assert client.get("/akteure/", query).context["place_count"] == 1
    response = client.get("/akteure/orte/", query)
    assert places_by_city(response) == [("Potsdam", ["Bundesstiftung Baukultur"])]
    assert response.context["list_url"] == "/akteure/?sector=gibt-es-nicht&city=Potsdam"


def test_the_places_are_those_of_every_page(client, settings, located):
    settings.ACTORS_PER_PAGE = 2
    response = client.get("/akteure/", {"page": 2})
    assert len(response.context["actors"]) == 2
    assert response.context["place_count"] == 5
    assert response.context["places_url"] == "/akteure/orte.json"
    assert len(json_places(client, response.context["places_url"])) == 5


def test_the_list_of_places_has_pages(client, located, monkeypatch, find):
    monkeypatch.setattr(ActorPlaceListView, "paginate_by", 2)
    second = client.get("/akteure/orte/", {"page": 2})
    assert places_by_city(second) == [
        ("Bonn", ["Montag Stiftung Urbane Räume"]),
        ("Hattingen", ["Stiftung Trias"]),
    ]
    assert "5 Orte mit bekannter Lage, nach Städten geordnet." in second.content.decode()
    (following,) = find(second, "a", rel="next")
    assert following.attrs["href"] == "?page=3"


# --- the places' JSON, loaded by the map ----------------------------------------------------


def test_the_json_has_the_published_places_only(client, located):
    places = json_places(client, "/en/akteure/orte.json")
    assert places[0] == {
        "name": "degewo AG",
        "url": "/en/akteure/degewo-ag/",
        "kind": "actor",
        "kindLabel": "Actor",
        "city": "Berlin",
        "lat": 52.52,
        "lon": 13.41,
    }
    assert [place["name"] for place in places] == [
        "degewo AG",
        "HOWOGE",
        "Montag Stiftung Urbane Räume",
        "Stiftung Trias",
        "Bundesstiftung Baukultur",
    ]
    assert "Geheime Stiftung" not in str(places)


def test_the_json_is_in_the_language_of_its_address(client, located):
    english = json_places(client, "/en/akteure/orte.json")
    german = json_places(client, "/akteure/orte.json")
    assert (english[0]["url"], english[0]["kindLabel"]) == ("/en/akteure/degewo-ag/", "Actor")
    assert (german[0]["url"], german[0]["kindLabel"]) == ("/akteure/degewo-ag/", "Akteur")


def test_the_json_is_cached_yet_never_stale(client, located):
    json_places(client, "/akteure/orte.json")
    with CaptureQueriesContext(connection) as captured:
        json_places(client, "/akteure/orte.json")
    assert not any("actors_actor" in query["sql"] for query in captured.captured_queries)

    degewo = located["degewo"]
    degewo.latitude, degewo.longitude = Decimal("52.45"), Decimal("13.30")
    degewo.save()
    located["draft"].is_published = True
    located["draft"].save()
    located["trias"].delete()

    places = {place["name"]: place for place in json_places(client, "/akteure/orte.json")}
    assert (places["degewo AG"]["lat"], places["degewo AG"]["lon"]) == (52.45, 13.3)
    assert "Geheime Stiftung" in places
    assert "Stiftung Trias" not in places
    assert client.get("/akteure/").context["place_count"] == 5


def test_no_places_no_map(client, directory, find):
    response = client.get("/akteure/")
    assert response.context["place_count"] == 0
    assert find(response, "section", **{"class": "place-map"}) == []
    assert b"js/map.js" not in response.content
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert json_places(client, "/akteure/orte.json") == []
    response = client.get("/en/akteure/orte/")
    assert response.status_code == 200
    assert "None of them has a known location." in response.content.decode()


def test_the_map_data_and_the_consent_box(client, located, find):
    response = client.get("/en/akteure/")
    (section,) = find(response, "section", **{"class": "place-map"})
    assert section.attrs["data-tile-url"] == TILE_URL
    assert section.attrs["data-leaflet-script"] == "/static/leaflet/leaflet.js"
    assert section.attrs["data-leaflet-style"] == "/static/leaflet/leaflet.css"
    # The box that asks is hidden until the script shows it: without JavaScript it means nothing.
    (consent,) = with_attribute(find(response, "div"), "data-map-consent")
    assert "hidden" in consent.attrs
    assert "tile.example.test" in consent.text
    assert "IP address" in consent.text
    (button,) = with_attribute(find(response, "button"), "data-map-show")
    assert button.attrs["type"] == "button"
    assert button.text == "Show map"
    (canvas,) = with_attribute(find(response, "div"), "data-map-canvas")
    assert canvas.attrs["aria-label"] == "Map of the places"
    # The places for the script, at an address of their own on this host.
    assert section.attrs["data-places-url"] == "/en/akteure/orte.json"
    assert len(find(response, "script", src="/static/js/map.js")) == 1


OSM_LINK = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'


def test_the_default_map_credit_is_in_the_language_of_the_page(client, settings, located, find):
    settings.MAP_ATTRIBUTION = ""  # not configured
    (section,) = find(client.get("/en/akteure/"), "section", **{"class": "place-map"})
    assert section.attrs["data-attribution"] == f"© {OSM_LINK} contributors"
    (section,) = find(client.get("/akteure/"), "section", **{"class": "place-map"})
    assert section.attrs["data-attribution"] == f"© {OSM_LINK}-Mitwirkende"


def test_a_configured_map_credit_is_shown_as_configured(client, settings, located, find):
    settings.MAP_ATTRIBUTION = "© Kacheln der Stadt"
    for path in ("/akteure/", "/en/akteure/"):
        (section,) = find(client.get(path), "section", **{"class": "place-map"})
        assert section.attrs["data-attribution"] == "© Kacheln der Stadt"


def test_nothing_on_the_page_comes_from_another_host(client, located, find):
    response = client.get("/akteure/")
    resources = [
        *(node.attrs.get("src") for node in find(response, "script")),
        *(
            node.attrs["href"]
            for node in find(response, "link")
            if node.attrs.get("rel") != "alternate"
        ),
        *(node.attrs.get("src") for node in find(response, "img")),
        *(node.attrs.get("src") for node in find(response, "iframe")),
    ]
    assert "/static/css/map.css" in resources
    assert [url for url in resources if url and urlsplit(url).netloc] == []
    # The tile server appears only as data for the script.
    html = response.content.decode()
    assert html.count("tile.example.test") == 2  # data-tile-url and the sentence in the box


def test_the_policy_allows_the_tile_server_for_images_only_where_a_map_is(client, located):
    policy = client.get("/akteure/")["Content-Security-Policy"]
    directives = dict(directive.split(" ", 1) for directive in policy.split("; "))
    assert directives["img-src"] == "'self' data: https://tile.example.test"
    assert [name for name, value in directives.items() if "tile.example.test" in value] == [
        "img-src"
    ]
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["default-src"] == "'self'"

    # A page without a map keeps the strict policy.
    assert client.get("/")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert client.get("/akteure/degewo-ag/")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_self_hosted_tiles_leave_the_policy_as_strict_as_ever(client, settings, located):
    settings.MAP_TILE_URL = "/karten/{z}/{x}/{y}.png"
    response = client.get("/akteure/")
    assert response.context["place_count"]
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "path",
    [
        "/akteure/",
        "/akteure/?city=Berlin&page=2",
        "/akteure/orte.json",
        "/akteure/orte.json?city=Berlin",
        "/akteure/orte/?city=Berlin",
    ],
)
def test_the_places_cost_the_same_queries_whatever_their_number(client, path):
    def add(count: int, start: int) -> None:
        for index in range(start, start + count):
            ActorFactory(
                city=["Berlin", "Bonn"][index % 2],
                latitude=Decimal("52.5") + Decimal(index) / 1000,
                longitude=Decimal("13.4"),
                topics=["Wohnen"],
            )

    add(5, 0)
    few = queries_for(client, path)
    add(95, 5)
    many = queries_for(client, path)
    assert many == few
    assert client.get("/akteure/").context["place_count"] == 100
    assert len(json_places(client, "/akteure/orte.json")) == 100


def test_no_actor_takes_the_address_of_the_places(client, located):
    actor = ActorFactory.build(name="Orte", slug="", sector=located["trias"].sector)
    with pytest.raises(ValidationError) as raised:
        actor.full_clean()
    assert "slug" in raised.value.message_dict
    assert client.get("/akteure/orte/").context["title"] == "Orte der Akteure"
