"""/sitemap.xml (an index of sections in pages) and /robots.txt, as a search engine reads them."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actors.models import Actor
from events.models import Event
from quartier.sitemaps import PortalSitemap
from tests.actors.factories import ActorFactory
from tests.events.factories import EventFactory
from tests.projects.factories import ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
SECTIONS = ["pages", "actors", "events", "projects", "publications"]


def portal(path: str) -> str:
    """The absolute address of a page, on the portal's configured public address."""
    return f"{settings.PORTAL_BASE_URL}{path}"


def local(address: str) -> str:
    return address.removeprefix(settings.PORTAL_BASE_URL)


def parse(response, root_tag: str) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own page, in a test
    assert root.tag == f"{{{NS['s']}}}{root_tag}"
    return root


def read_index(client, **headers) -> dict[str, str | None]:
    """``{address of a sitemap page: its lastmod}``, in the order of the index."""
    root = parse(client.get("/sitemap.xml", **headers), "sitemapindex")
    pages = {}
    for entry in root.findall("s:sitemap", NS):
        loc = entry.findtext("s:loc", namespaces=NS)
        assert loc not in pages, f"{loc} twice"
        pages[loc] = entry.findtext("s:lastmod", namespaces=NS)
    return pages


def read_page(client, address: str, **headers) -> dict[str, dict]:
    """``{loc: {"lastmod": ..., "alternates": {hreflang: href}}}`` of every <url> of a page."""
    root = parse(client.get(local(address), **headers), "urlset")
    entries = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc not in entries, f"{loc} twice"
        entries[loc] = {
            "lastmod": url.findtext("s:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
            },
        }
    return entries


def read_sitemap(client, **headers) -> dict[str, dict]:
    """Every <url> of every page the index names, as a crawler collects them."""
    entries = {}
    for address in read_index(client, **headers):
        page = read_page(client, address, **headers)
        assert not set(page) & set(entries), "an address on two pages"
        entries.update(page)
    return entries


@pytest.fixture
def small_pages(monkeypatch):
    """Four <url> entries a page: two objects, each in German and English."""
    monkeypatch.setattr(PortalSitemap, "limit", 4)


@pytest.fixture
def no_page_cache(settings):
    """The sitemap's own cost and freshness, without the page cache in front of it."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def content():
    return {
        "actor": ActorFactory(name="Stiftung Trias", slug="stiftung-trias"),
        "draft_actor": ActorFactory(name="Geheim", slug="geheime-stiftung", is_published=False),
        "event": EventFactory(title="Bilanzveranstaltung", slug="bilanzveranstaltung-2020"),
        "cancelled_event": EventFactory(
            title="Abgesagt", slug="abgesagt-2020", status=Event.Status.CANCELLED
        ),
        "draft_event": EventFactory(
            title="Entwurf", slug="entwurf-2021", status=Event.Status.DRAFT
        ),
        "project": ProjectFactory(title="Lebendiges Quartier", slug="lebendiges-quartier"),
        "draft_project": ProjectFactory(title="Verborgen", slug="verborgen", is_published=False),
        "publication": PublicationFactory(title="Abschlussbericht", slug="abschlussbericht"),
        "draft_publication": PublicationFactory(
            title="Zwischenbericht", slug="zwischenbericht", is_published=False
        ),
    }


def test_the_index_names_a_sitemap_for_every_section(client, content):
    assert list(read_index(client)) == [portal(f"/sitemap-{name}.xml") for name in SECTIONS]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/initiative/",
        "/akteure/",
        "/veranstaltungen/",
        "/projekte/",
        "/ergebnisse/",
        "/kontakt/",
        "/impressum/",
        "/datenschutz/",
        "/akteure/stiftung-trias/",
        "/veranstaltungen/bilanzveranstaltung-2020/",
        "/veranstaltungen/abgesagt-2020/",
        "/projekte/lebendiges-quartier/",
        "/ergebnisse/abschlussbericht/",
    ],
)
def test_public_pages_in_both_languages_with_alternates(client, content, path):
    entries = read_sitemap(client)
    german, english = portal(path), portal(f"/en{path}")
    assert german in entries
    assert english in entries
    expected = {"de": german, "en": english, "x-default": german}
    assert entries[german]["alternates"] == expected
    assert entries[english]["alternates"] == expected


def test_each_section_lists_its_own_pages(client, content):
    actors = read_page(client, portal("/sitemap-actors.xml"))
    assert set(actors) == {
        portal(f"{prefix}{actor.get_absolute_url()}")
        for actor in Actor.objects.published()
        for prefix in ["", "/en"]
    }
    assert portal("/akteure/stiftung-trias/") in actors
    events = read_page(client, portal("/sitemap-events.xml"))
    assert portal("/veranstaltungen/abgesagt-2020/") in events
    assert all(
        local(loc).startswith(("/veranstaltungen/", "/en/veranstaltungen/")) for loc in events
    )


def test_nothing_unpublished_is_listed(client, content, small_pages):
    locs = "\n".join(read_sitemap(client))
    for slug in ["geheime-stiftung", "entwurf-2021", "verborgen", "zwischenbericht"]:
        assert slug not in locs
    assert "/admin/" not in locs
    assert "/suche/" not in locs


def test_detail_pages_say_when_they_last_changed(client, content):
    entries = read_sitemap(client)
    actor = entries[portal("/akteure/stiftung-trias/")]
    assert actor["lastmod"] == timezone.localtime(content["actor"].updated_at).date().isoformat()
    publication = entries[portal("/ergebnisse/abschlussbericht/")]
    assert publication["lastmod"] == content["publication"].published_on.isoformat()


def test_the_index_says_when_each_section_last_changed(client):
    actor = ActorFactory()
    draft = ActorFactory(is_published=False)
    publication = PublicationFactory()
    index = read_index(client)
    # When the newest of the published actors changed; the draft, changed later, is not listed.
    assert draft.updated_at > actor.updated_at
    assert index[portal("/sitemap-actors.xml")] == timezone.localtime(actor.updated_at).isoformat()
    assert index[portal("/sitemap-publications.xml")] == publication.published_on.isoformat()
    assert index[portal("/sitemap-pages.xml")] is None


def test_every_listed_page_answers(client, content):
    for loc in read_sitemap(client):
        assert client.get(local(loc)).status_code == 200, loc


def test_large_sections_are_split_into_pages(client, small_pages):
    ActorFactory.create_batch(5)
    ActorFactory(is_published=False)
    index = read_index(client)
    # Five published actors, two a page.
    actor_pages = [loc for loc in index if "/sitemap-actors.xml" in loc]
    assert actor_pages == [
        portal("/sitemap-actors.xml"),
        portal("/sitemap-actors.xml?p=2"),
        portal("/sitemap-actors.xml?p=3"),
    ]
    assert len({index[loc] for loc in actor_pages}) == 1
    listed = [loc for page in actor_pages for loc in read_page(client, page)]
    expected = [
        portal(f"{prefix}{actor.get_absolute_url()}")
        for actor in Actor.objects.published().order_by("pk")
        for prefix in ["", "/en"]
    ]
    assert listed == expected
    assert client.get("/sitemap-actors.xml?p=4").status_code == 404


@pytest.mark.parametrize("page", ["0", "4", "-1", "x", "1.5", "", "²", "9" * 5000])
def test_a_page_that_does_not_exist_is_not_found(client, content, small_pages, page):
    assert client.get("/sitemap-actors.xml", {"p": page}).status_code == 404


def test_a_section_that_does_not_exist_is_not_found(client, content):
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache", "no page cache"])
def test_a_change_shows_at_once(client, content, settings, page_cache):
    if not page_cache:
        settings.PAGE_CACHE_SECONDS = 0
    assert portal("/akteure/neu-dabei/") not in read_sitemap(client)
    actor = ActorFactory(name="Neu dabei", slug="neu-dabei")
    assert portal("/akteure/neu-dabei/") in read_sitemap(client)
    actor.is_published = False
    actor.save()
    assert portal("/akteure/neu-dabei/") not in read_sitemap(client)
    # The index says so too: the section changed.
    lastmod = read_index(client)[portal("/sitemap-actors.xml")]
    content["actor"].save()
    assert read_index(client)[portal("/sitemap-actors.xml")] != lastmod


def test_addresses_come_from_the_portal_address_not_from_the_host_header(client, content, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    for path in ["/sitemap.xml", "/sitemap-actors.xml"]:
        response = client.get(path, HTTP_HOST="localhost:1")
        assert response.status_code == 200
        assert b"localhost:1" not in response.content
    index = read_index(client, HTTP_HOST="localhost:1")
    entries = read_sitemap(client, HTTP_HOST="localhost:1")
    addresses = [
        *index,
        *(
            address
            for loc, entry in entries.items()
            for address in [loc, *entry["alternates"].values()]
        ),
    ]
    assert len(addresses) > 50
    for address in addresses:
        assert address.startswith(f"{settings.PORTAL_BASE_URL}/"), address


def test_no_last_modified_header_that_an_unpublished_page_would_belie(client, content):
    # A page loses an object without anything on it becoming newer.
    response = client.get("/sitemap-actors.xml")
    assert "Last-Modified" not in response


def _queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries]


def test_sitemap_needs_few_queries_whatever_its_size(client, content, small_pages, no_page_cache):
    paths = ["/sitemap.xml", "/sitemap-actors.xml", "/sitemap-actors.xml?p=2"]
    ActorFactory()
    few = [len(_queries(client, path)) for path in paths]
    for _number in range(20):
        ActorFactory()
        EventFactory()
        ProjectFactory()
        PublicationFactory()
    # Something changed: nothing is answered from before.
    many = [len(_queries(client, path)) for path in paths]
    assert len(read_index(client)) > 30
    assert many == few
    assert max(many) <= 6


def test_a_repeated_request_reads_no_rows(client, content, no_page_cache):
    for path in ["/sitemap.xml", "/sitemap-actors.xml", "/sitemap-pages.xml"]:
        first = _queries(client, path)
        assert any("actors_actor" in sql for sql in first) or path == "/sitemap-pages.xml"
        repeat = _queries(client, path)
        assert not any("actors_actor" in sql for sql in repeat), path


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    for path in ["/admin/", "/en/admin/", "/suche/", "/en/suche/"]:
        assert f"Disallow: {path}" in lines
    # The index, which names every section.
    assert f"Sitemap: {settings.PORTAL_BASE_URL}/sitemap.xml" in lines


def test_robots_txt_is_the_same_for_every_language(client):
    english = client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="en")
    german = client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="de")
    assert english.content == german.content
    assert client.get("/en/robots.txt").status_code == 404
