"""Every public address with arbitrary query parameters: never a server error.

The parameters are those the pages read (the filters of the lists, the page number, the part
of an overview, the search words) and random ones, with any unicode, NUL bytes (which
PostgreSQL refuses in a string), huge values, negative and huge page numbers, repeated keys
and broken percent escapes. A value a filter does not know leaves a normal page: lists answer
200 (Django's ``get_page`` shows the last page for a number beyond it, the first for one that
is not a number); only a sitemap page that does not exist is "404 Not Found".
"""

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.actors.factories import ActorFactory, SectorFactory
from tests.events.factories import EventFactory
from tests.projects.factories import ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def content():
    """A little of everything the lists filter by: sectors, topics, cities, years, statuses."""
    sector = SectorFactory(name="Stiftungen", slug="stiftungen")
    actor = ActorFactory(name="Bürgerstiftung", sector=sector, city="Köln", topics=["Wohnen"])
    ActorFactory(name="Kulturverein", city="Leipzig", topics=["Kultur"])
    soon = timezone.now() + datetime.timedelta(days=10)
    EventFactory(
        title="Werkstatt",
        start=soon,
        end=soon + datetime.timedelta(hours=2),
        topics=["Wohnen"],
        registration_enabled=True,
    )
    EventFactory(title="Rückblick", topics=["Kultur"])  # in 2020
    ProjectFactory(title="Gemeinschaftsgarten", lead_actor=actor, topics=["Wohnen"])
    PublicationFactory(title="Abschlussbericht")
    return actor


# path -> the parameters it reads
LISTS = {
    "/akteure/": ["q", "sector", "role", "topic", "city", "page"],
    "/akteure/orte/": ["q", "sector", "role", "topic", "city", "page"],
    "/veranstaltungen/": ["kind", "year", "topic", "zeit", "page"],
    "/projekte/": ["status", "city", "topic", "actor", "page"],
    "/projekte/orte/": ["status", "city", "topic", "actor", "page"],
    "/ergebnisse/": ["teil", "page"],
    "/bildnachweise/": ["teil", "page"],
    "/suche/": ["q", "page"],
    "/": [],
    "/initiative/": [],
    "/kontakt/": [],
    "/datenschutz/": [],
    "/akteure/buergerstiftung/": [],
    "/veranstaltungen/werkstatt/": [],
    "/veranstaltungen/werkstatt/anmelden/": [],
    "/projekte/gemeinschaftsgarten/": [],
    "/ergebnisse/abschlussbericht/": [],
    "/mitmachen/": [],
    "/konto/login/": ["next"],
    "/konto/signup/": ["next"],
}
JSON = {
    "/akteure/orte.json": LISTS["/akteure/"],
    "/projekte/orte.json": LISTS["/projekte/"],
}
FEEDS = {
    "/veranstaltungen/feed/": [],
    "/veranstaltungen/dokumentation/feed/": [],
    "/veranstaltungen/kalender.ics": [],
    "/veranstaltungen/werkstatt/kalender.ics": [],
    "/sitemap.xml": [],
    "/robots.txt": [],
}
SITEMAP_SECTIONS = ["pages", "actors", "events", "projects", "publications"]

# Values the filters offer, and values that come close.
KNOWN_VALUES = [
    "stiftungen",
    "wohnen",
    "kultur",
    "Köln",
    "koeln",
    "participant",
    "workshop",
    "running",
    "2020",
    "kommend",
    "buergerstiftung",
    "dokumentation",
    "projekte",
    "logos",
]
NUMBERS = [
    "0",
    "-1",
    "1",
    "2",
    "3.5",
    "1e9",
    "NaN",
    "inf",
    "last",
    "99999999999999999999999999",
    "-99999999999999999999",
    "０",  # a full-width digit
    "²",
]
AWKWARD = ["\x00", "%00", "a\x00b", "\u202e", "\U0001f600", "'", '"', "<", "\\", "\r\n"]

value = st.one_of(
    st.sampled_from(KNOWN_VALUES + NUMBERS + AWKWARD + ["", " "]),
    st.text(max_size=30),
    st.integers().map(str),
    st.tuples(st.text(min_size=1, max_size=3), st.integers(1, 4000)).map(lambda p: p[0] * p[1]),
)


def parameters(known: list[str]):
    """A query: known and random names, each with one or more values (repeated keys)."""
    name = st.sampled_from(known) if known else st.text(max_size=10)
    name = st.one_of(name, st.text(max_size=10), st.sampled_from(["page", "q", "p", "\x00"]))
    return st.lists(st.tuples(name, value), max_size=6)


def raw_query_strings():
    """Query strings as a program might send them: broken percent escapes, stray separators."""
    return st.text(alphabet="%0aAfFzZ&=;+?#.-x\\\u00e4", max_size=60)


def fetch(path: str, pairs: list[tuple[str, str]]):
    cache.clear()  # no rate limits or cached counts from the examples before
    client = Client(raise_request_exception=True)
    data = {}
    for name, item in pairs:
        data.setdefault(name, []).append(item)
    return client.get(path, data)


@FUZZ
@given(path=st.sampled_from(sorted(LISTS)), pairs=st.data(), english=st.booleans())
def test_pages_with_any_query_answer_normally(content, path, pairs, english):
    query = pairs.draw(parameters(LISTS[path]))
    response = fetch(f"/en{path}" if english else path, query)
    assert response.status_code == 200, (path, query, response.status_code)
    assert response["Content-Type"] == "text/html; charset=utf-8"


@FUZZ
@given(path=st.sampled_from(sorted(JSON)), pairs=st.data())
def test_the_maps_places_with_any_query_are_json(content, path, pairs):
    response = fetch(path, pairs.draw(parameters(JSON[path])))
    assert response.status_code == 200
    json.loads(response.content)


@FUZZ
@given(path=st.sampled_from(sorted(FEEDS)), pairs=st.data())
def test_feeds_calendars_and_the_sitemap_with_any_query_answer(content, path, pairs):
    response = fetch(path, pairs.draw(parameters(FEEDS[path])))
    assert response.status_code == 200


@FUZZ
@given(section=st.sampled_from(SITEMAP_SECTIONS), page=value)
def test_a_sitemap_page_that_does_not_exist_is_not_found(content, section, page):
    response = fetch(f"/sitemap-{section}.xml", [("p", page)])
    # Each section fits on its first page; a number is read as Python's int() reads it.
    try:
        first_page = int(page) == 1
    except ValueError:
        first_page = False
    assert response.status_code == (200 if first_page else 404), (page, response.status_code)


@FUZZ
@given(
    path=st.sampled_from(sorted(LISTS) + sorted(JSON) + sorted(FEEDS)), query=raw_query_strings()
)
def test_broken_query_strings_answer_normally(content, path, query):
    cache.clear()
    response = Client().get(f"{path}?{query}")
    assert response.status_code == 200, (path, query)


@FUZZ
@given(
    path=st.sampled_from(
        ["/akteure/{}/", "/veranstaltungen/{}/", "/projekte/{}/", "/ergebnisse/{}/"]
    ),
    slug=st.one_of(
        st.from_regex(r"[-a-zA-Z0-9_]{1,300}", fullmatch=True),
        st.sampled_from(["orte", "0", "-", "_", "buergerstiftung-", "Buergerstiftung"]),
    ),
)
def test_a_detail_page_of_any_name_is_found_or_not_found(content, path, slug):
    cache.clear()
    response = Client().get(path.format(slug))
    assert response.status_code in (200, 404)
