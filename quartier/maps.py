"""Places for the map of projects and actors, and the list that stands in for it.

The map itself is an enhancement (static/js/map.js, templates/includes/map.html): a list page
says how many places its filters leave and links to them listed by city, on a page of their own
(``PlaceListView``), which works without JavaScript. Only when the visitor asks for the map does
the script load the places, as JSON from an address of their own (``PlacesJsonView``): the
thousands of places of a large directory are not part of every page of it.
"""

import re
import unicodedata
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.generic import TemplateView, View

from quartier.pagination import ListPaginator

OPENSTREETMAP_COPYRIGHT = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'


def tile_attribution(configured: str) -> str:
    """The credit shown on the map: as configured, else OpenStreetMap's in the active language.

    HTML as Leaflet takes it, plain ``str``: the template escapes it into a data attribute.
    """
    if configured:
        return configured
    return gettext("© %(openstreetmap)s contributors") % {"openstreetmap": OPENSTREETMAP_COPYRIGHT}


# What a host in a Content-Security-Policy source may consist of; "{s}" (Leaflet's subdomain
# placeholder) becomes the wildcard "*".
_HOST = re.compile(r"^(\*\.)?[A-Za-z0-9.-]+(:[0-9]+)?$")


@dataclass(frozen=True)
class Place:
    name: str
    url: str
    kind: str  # "project" or "actor"
    kind_label: str
    city: str
    latitude: float
    longitude: float

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "url": self.url,
            "kind": self.kind,
            "kindLabel": self.kind_label,
            "city": self.city,
            "lat": self.latitude,
            "lon": self.longitude,
        }


def sort_text(text: str) -> str:
    """ "Österreich" between "Oberhausen" and "Offenbach", as a German reader expects."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def place_sort_key(place: Place) -> tuple:
    # Places without a city come last, under their own heading.
    return (place.city == "", sort_text(place.city), sort_text(place.name), place.url)


def places_for_map(*, projects=(), actors=()) -> list[Place]:
    """Map places of projects and actors that have coordinates, sorted by city and name.

    Pass querysets already limited to what the public may see (published, with_location()).
    """
    places = [
        Place(
            name=project.title,
            url=project.get_absolute_url(),
            kind="project",
            kind_label=gettext("Project"),
            city=project.city,
            latitude=float(project.latitude),
            longitude=float(project.longitude),
        )
        for project in projects
        if project.latitude is not None and project.longitude is not None
    ]
    places += [
        Place(
            name=actor.name,
            url=actor.get_absolute_url(),
            kind="actor",
            kind_label=gettext("Actor"),
            city=actor.city,
            latitude=float(actor.latitude),
            longitude=float(actor.longitude),
        )
        for actor in actors
        if actor.latitude is not None and actor.longitude is not None
    ]
    return sorted(places, key=place_sort_key)


def places_by_city(places: list[Place]) -> list[tuple[str, list[Place]]]:
    """``[("Berlin", [...]), ("Göttingen", [...])]`` for the list without a map.

    Expects the order of ``places_for_map``; "berlin" and "Berlin" are one city, named as the
    first of its places spells it.
    """
    return [
        (group[0].city, group)
        for group in (
            list(same_city)
            for _key, same_city in groupby(places, key=lambda place: sort_text(place.city))
        )
    ]


def tile_host(tile_url: str) -> str:
    """The host the map's tiles come from, as visitors are told: "tile.openstreetmap.org".

    Empty when the tiles come from this site itself (a relative URL such as "/tiles/{z}/…").
    """
    host = urlsplit(tile_url).netloc
    return host.removeprefix("{s}.")


def tile_source(tile_url: str) -> str:
    """The Content-Security-Policy source that allows the map's tiles as images.

    "https://tile.openstreetmap.org"; "https://*.tile.example.org" for a URL with Leaflet's
    subdomain placeholder "{s}"; empty for tiles served by this site ('self' covers them).
    """
    parts = urlsplit(tile_url)
    if not parts.netloc:
        return ""
    host = parts.netloc.replace("{s}", "*")
    if "@" in host or not _HOST.match(host) or parts.scheme not in ("", "http", "https"):
        raise ImproperlyConfigured(
            f"MAP_TILE_URL {tile_url!r} does not name a plain http(s) host, "
            "e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )
    return f"{parts.scheme}://{host}" if parts.scheme else host


def with_query(url: str, query: str) -> str:
    """``url`` with the query string ``query`` (the list's filters), if any."""
    return f"{url}?{query}" if query else url


class PlacesJsonView(View):
    """The places of a list as JSON, ``{"places": [...]}``: what static/js/map.js draws.

    ``get_places()`` returns them, filtered as the list's query string says. What the response
    shows depends on the public content and the address alone, so the page cache may keep it.
    """

    def get_places(self) -> list[Place]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return JsonResponse(
            {"places": [place.as_json() for place in self.get_places()]},
            json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
        )


class PlaceListView(TemplateView):
    """A list's places by city, a page at a time, with the map: what the map shows, without
    JavaScript.

    Subclasses give ``get_places()``, the title, the list the page belongs to
    (``list_label``, ``get_list_url()``) and the address of the places' JSON
    (``get_places_url()``), each with the list's filters.
    """

    template_name = "quartier/place_list.html"
    paginate_by = 200
    title = ""
    list_label = ""

    def get_places(self) -> list[Place]:
        raise NotImplementedError

    def get_list_url(self) -> str:
        raise NotImplementedError

    def get_places_url(self) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        places = self.get_places()
        page = ListPaginator(places, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(
            {
                "title": self.title,
                "list_label": self.list_label,
                "list_url": self.get_list_url(),
                "page_obj": page,
                "places": page.object_list,
                "place_count": len(places),
                "places_url": self.get_places_url(),
            }
        )
        return context
