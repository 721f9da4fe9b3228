"""The offers pages and an actor page with matches need as many queries for many entries as for
few (no N+1), and no more than every public page (tests/quartier/test_query_counts.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actors.models import OfferOrNeed
from actors.offers import MATCHES_SHOWN
from tests.quartier.test_query_counts import MAX_QUERIES

from .factories import ActorFactory, OfferOrNeedFactory, SectorFactory, topic

pytestmark = pytest.mark.django_db

PATHS = [
    "/angebote-und-gesuche/",
    "/en/angebote-und-gesuche/",
    "/angebote-und-gesuche/?page=2",
    "/angebote-und-gesuche/?direction=offer&kind=space&topic=kultur&sector=kultur&city=Berlin",
    "/angebote-und-gesuche/?kind=gibt-es-nicht&city=Berlin",
    "/angebote-und-gesuche/feed/",
    "seeker",
    "/en/seeker",
]
KINDS = [kind for kind in OfferOrNeed.Kind.values if kind != OfferOrNeed.Kind.OTHER]


def populate():
    """``add(count)`` adds that many actors, each with an offer and a need of varied kinds,
    topics, sectors and cities; the first call also makes the actor whose page is measured,
    who seeks what many of them offer and offers what many seek."""
    sectors = [
        SectorFactory(name=name, slug=slug)
        for name, slug in [("Kultur", "kultur"), ("Wohnen", "wohnen")]
    ]
    topics = [topic(name) for name in ("Kultur", "Wohnen", "Bildung")]
    cities = ["Berlin", "Göttingen", "Mannheim"]
    seeker = ActorFactory(name="Sucht Räume", sector=sectors[0], city="Berlin", topics=["Kultur"])
    OfferOrNeedFactory(actor=seeker, direction="need", kind="space", topic=topics[0])
    OfferOrNeedFactory(actor=seeker, direction="offer", kind="knowledge", topic=topics[1])
    added = 0

    def add(count: int):
        nonlocal added
        for index in range(added, added + count):
            actor = ActorFactory(
                sector=sectors[index % 2],
                city=cities[index % 3],
                topics=["Kultur", f"Thema {index % 4}"],
            )
            OfferOrNeedFactory(
                actor=actor,
                direction="offer",
                kind=KINDS[index % len(KINDS)],
                topic=topics[index % 3],
            )
            OfferOrNeedFactory(
                actor=actor,
                direction="need",
                kind=KINDS[(index + 1) % len(KINDS)],
                topic=topics[(index + 1) % 3],
            )
        added += count
        return seeker

    return add


def queries_for(path: str) -> tuple[list[str], object]:
    cache.clear()  # as in a test of its own
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries], response


def resolve(path: str, seeker) -> str:
    if path.endswith("seeker"):
        return path.removesuffix("/seeker").removesuffix("seeker") + seeker.get_absolute_url()
    return path


@pytest.fixture(scope="module")
def measured(module_db):
    """``{path: [(queries, context), ...]}`` for 10 and for 150 actors with entries."""
    found = {}
    with module_db():
        add = populate()
        for count in (10, 140):
            seeker = add(count)
            for path in PATHS:
                queries, response = queries_for(resolve(path, seeker))
                context = response.context
                summary = {
                    "entries": len(context["entries"])
                    if context and "entries" in context
                    else None,
                    "matches": len(context["matches"])
                    if context and "matches" in context
                    else None,
                }
                found.setdefault(path, []).append((queries, summary))
    return found


@pytest.mark.parametrize("path", PATHS)
def test_same_number_of_queries_for_few_and_many_entries(measured, path):
    (few, _few_summary), (many, _many_summary) = measured[path]
    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= MAX_QUERIES, "\n".join(many)


def test_the_pages_are_filled_at_both_sizes(measured):
    """Otherwise the comparison above could pass with empty pages that skip their queries."""
    for _queries, summary in measured["/angebote-und-gesuche/"]:
        assert summary["entries"] >= 20
    for path in ("seeker", "/en/seeker"):
        (_few, few), (_many, many) = measured[path]
        assert few["matches"] >= 3
        assert many["matches"] == MATCHES_SHOWN
    (_few, few), (_many, many) = measured["/angebote-und-gesuche/?page=2"]
    assert many["entries"] > 0
