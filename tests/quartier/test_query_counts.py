"""Every public page needs as many queries for 200 actors as for 10 (no N+1), and few of them.

``MAX_QUERIES`` is the bound of every public page, whatever the data size; the event and
project pages are measured against it in tests/events/ and tests/projects/.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.actors.factories import varied_directory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12

PATHS = [
    "/",
    "/en/",
    "/initiative/",
    "/akteure/",
    "/en/akteure/",
    "/akteure/?page=2",
    "/akteure/?sector=stiftungen&topic=wohnen&city=Berlin",
    "/akteure/?q=Organisation+Markdown&role=participant",
    "/akteure/?sector=gibt-es-nicht&city=Berlin",
    "/akteure/orte/",
    "/akteure/orte/?sector=stiftungen&page=2",
    "/akteure/orte.json",
    "/akteure/orte.json?city=Berlin&q=Organisation",
    "group",
    "member",
    "/kontakt/",
    "/en/impressum/",
]


def queries_for(client, path: str) -> list[str]:
    cache.clear()  # as in a test of its own
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def resolve(path: str, group) -> str:
    if path == "group":
        return group.get_absolute_url()
    if path == "member":
        return group.members.order_by("pk").first().get_absolute_url()
    return path


@pytest.fixture(scope="module")
def queries(module_db):
    """``{path: (few, many)}``: the queries of each page of PATHS for 10 and for 200 actors.

    Measured once for the module, each page in a new session; the actors are gone afterwards.
    """
    measured = {}
    with module_db():
        populate = varied_directory()
        for count in (10, 190):
            group = populate(count)
            for path in PATHS:
                found = queries_for(Client(), resolve(path, group))
                measured[path] = (*measured.get(path, ()), found)
    return measured


@pytest.mark.parametrize("path", PATHS)
def test_same_number_of_queries_for_few_and_many_actors(queries, path):
    few, many = queries[path]
    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= MAX_QUERIES, "\n".join(many)


def test_the_directory_is_filled_at_both_sizes(client, populate):
    """Otherwise the comparison above could pass with an empty page that skips its prefetch."""
    populate(10)
    response = client.get(
        "/akteure/", {"sector": "stiftungen", "topic": "wohnen", "city": "Berlin"}
    )
    assert len(response.context["actors"]) >= 1
    response = client.get("/")
    assert len(response.context["organisers"]) >= 1
    populate(190)
    response = client.get("/akteure/", {"page": 2})
    assert len(response.context["actors"]) == 24
