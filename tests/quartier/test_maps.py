"""The places of the map, the list that stands in for it, and the map's Content-Security-Policy."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from actors.models import Actor
from quartier.maps import Place, places_by_city, places_for_map, tile_host, tile_source
from quartier.middleware import CONTENT_SECURITY_POLICY, build_policy, map_policy
from tests.actors.factories import ActorFactory
from tests.projects.factories import ProjectFactory


def place(name: str, city: str, kind: str = "actor") -> Place:
    return Place(
        name=name,
        url=f"/akteure/{name.lower()}/",
        kind=kind,
        kind_label=kind.title(),
        city=city,
        latitude=52.5,
        longitude=13.4,
    )


def directives(policy: str) -> dict[str, str]:
    return {
        directive.split(" ", 1)[0]: directive.split(" ", 1)[1] for directive in policy.split("; ")
    }


# --- places_for_map and places_by_city ------------------------------------------------------


@pytest.mark.django_db
def test_places_of_projects_and_actors_with_coordinates_as_floats():
    project = ProjectFactory(
        title="Zwischennutzung Brache",
        city="Göttingen",
        latitude=Decimal("51.53412"),
        longitude=Decimal("9.93522"),
    )
    actor = ActorFactory(
        name="degewo AG", city="Berlin", latitude=Decimal("52.51234"), longitude=Decimal("13.41")
    )
    without_location = ActorFactory(name="Ohne Ort", city="Berlin")

    with translation.override("en"):
        places = places_for_map(projects=[project], actors=[actor, without_location])

    assert [(p.name, p.kind, p.kind_label) for p in places] == [
        ("degewo AG", "actor", "Actor"),
        ("Zwischennutzung Brache", "project", "Project"),
    ]
    berlin = places[0]
    assert berlin.url == "/en/akteure/degewo-ag/"  # in the visitor's language
    assert (berlin.latitude, berlin.longitude) == (52.51234, 13.41)
    assert isinstance(berlin.latitude, float)
    assert places[1].as_json() == {
        "name": "Zwischennutzung Brache",
        "url": "/en/projekte/zwischennutzung-brache/",
        "kind": "project",
        "kindLabel": "Project",
        "city": "Göttingen",
        "lat": 51.53412,
        "lon": 9.93522,
    }


@pytest.mark.django_db
def test_only_what_the_caller_passes_is_placed():
    ActorFactory(name="Entwurf", is_published=False, latitude=52, longitude=13)
    ActorFactory(name="Öffentlich", latitude=52, longitude=13)

    places = places_for_map(actors=Actor.objects.published().with_location())

    assert [p.name for p in places] == ["Öffentlich"]
    assert places_for_map() == []


def test_places_are_sorted_by_city_then_name_as_german_readers_expect():
    places = places_for_map(
        actors=[
            _Actor("Zukunftsorte", "Offenbach"),
            _Actor("alte Feuerwache", "Oberhausen"),
            _Actor("Bürgerstiftung", "Österreich"),
            _Actor("Ohne Stadt", ""),
            _Actor("Äpfel e. V.", "Oberhausen"),
            _Actor("Brache", "berlin"),
            _Actor("Atelier", "Berlin"),
        ]
    )
    assert [(p.city, p.name) for p in places] == [
        ("Berlin", "Atelier"),
        ("berlin", "Brache"),
        ("Oberhausen", "alte Feuerwache"),
        ("Oberhausen", "Äpfel e. V."),
        ("Offenbach", "Zukunftsorte"),
        ("Österreich", "Bürgerstiftung"),
        ("", "Ohne Stadt"),
    ]


class _Actor:
    """What places_for_map reads of an actor, without the database."""

    def __init__(self, name, city, latitude=Decimal("52.1"), longitude=Decimal("13.2")):
        self.name, self.city, self.latitude, self.longitude = name, city, latitude, longitude

    def get_absolute_url(self):
        return f"/akteure/{self.name}/"


def test_places_by_city_groups_neighbours_and_keeps_their_order():
    places = sorted(
        [place("B", "Berlin"), place("A", "Berlin"), place("C", "Bonn"), place("D", "berlin")],
        key=lambda p: (p.city.lower(), p.name),
    )
    grouped = places_by_city(places)
    assert [(city, [p.name for p in group]) for city, group in grouped] == [
        ("Berlin", ["A", "B", "D"]),
        ("Bonn", ["C"]),
    ]
    assert places_by_city([]) == []


# --- where the tiles come from --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host", "source"),
    [
        (
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "tile.openstreetmap.org",
            "https://tile.openstreetmap.org",
        ),
        (
            "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
            "tiles.example.org",
            "https://*.tiles.example.org",
        ),
        ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("//karten.example.de/{z}/{x}/{y}.png", "karten.example.de", "karten.example.de"),
        ("/karten/{z}/{x}/{y}.png", "", ""),
    ],
)
def test_tile_host_and_policy_source(url, host, source):
    assert tile_host(url) == host
    assert tile_source(url) == source


@pytest.mark.parametrize(
    "url",
    [
        "https://tile.example.org; script-src *;/{z}/{x}/{y}.png",
        "https://user@tile.example.org/{z}/{x}/{y}.png",
        "javascript://tile.example.org/{z}",
    ],
)
def test_a_tile_url_that_would_change_the_policy_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="MAP_TILE_URL"):
        tile_source(url)


def test_the_map_policy_allows_the_tile_server_for_images_only():
    policy = map_policy("https://tile.example.test/{z}/{x}/{y}.png")
    assert directives(policy) == {
        **directives(CONTENT_SECURITY_POLICY),
        "img-src": "'self' data: https://tile.example.test",
    }
    assert build_policy() == CONTENT_SECURITY_POLICY
    assert "tile" not in CONTENT_SECURITY_POLICY


def test_self_hosted_tiles_need_nothing_beyond_self():
    assert map_policy("/karten/{z}/{x}/{y}.png") == CONTENT_SECURITY_POLICY


# --- the include ----------------------------------------------------------------------------


def render_map(places, **context):
    """The include as a page of places renders it; ``places=[]`` with ``list_url`` as a list's."""
    request = RequestFactory().get("/")
    context = {
        "places": places,
        "place_count": len(places),
        "places_url": "/akteure/orte.json",
        **context,
    }
    with translation.override("en"):
        html = render_to_string("includes/map.html", context, request=request)
    return html, request


def test_no_places_no_map_and_no_exception_in_the_policy():
    html, request = render_map([])
    assert html.strip() == ""
    assert not getattr(request, "shows_map", False)


def test_the_include_escapes_names_and_marks_the_page(settings):
    settings.MAP_TILE_URL = "https://tile.example.test/{z}/{x}/{y}.png"
    html, request = render_map([place("<b>Böse</b>", "Berlin")])
    assert "<b>Böse</b>" not in html
    assert "&lt;b&gt;Böse&lt;/b&gt;" in html  # in the list
    # The script loads the places from their address; the page embeds none for it.
    assert 'data-places-url="/akteure/orte.json"' in html
    assert "application/json" not in html
    assert "tile.example.test" in html
    assert request.shows_map is True


def test_on_a_list_the_include_counts_the_places_and_links_to_them(settings):
    settings.MAP_TILE_URL = "https://tile.example.test/{z}/{x}/{y}.png"
    html, request = render_map([], place_count=2, list_url="/akteure/orte/?city=Berlin&role=x")
    assert "2 places with a known location." in html
    assert 'href="/akteure/orte/?city=Berlin&amp;role=x"' in html
    assert "List the places by city" in html
    assert "<h3" not in html  # no list by city here
    assert "data-map-show" in html
    assert request.shows_map is True


def test_self_hosted_tiles_are_described_as_such(settings):
    settings.MAP_TILE_URL = "/karten/{z}/{x}/{y}.png"
    html, _request = render_map([place("A", "Berlin")])
    assert "come from this website; no other server is contacted" in html
