"""/sitemap.xml and /robots.txt, as a search engine reads them."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from tests.actors.factories import ActorFactory
from tests.events.factories import EventFactory
from tests.projects.factories import ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def portal(path: str) -> str:
    """The absolute address of a page, on the portal's configured public address."""
    return f"{settings.PORTAL_BASE_URL}{path}"


def read_sitemap(client, **headers) -> dict[str, dict]:
    """``{loc: {"lastmod": ..., "alternates": {hreflang: href}}}`` of every <url>."""
    response = client.get("/sitemap.xml", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own page, in a test
    assert root.tag == f"{{{NS['s']}}}urlset"
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


def test_nothing_unpublished_is_listed(client, content):
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


def test_every_listed_page_answers(client, content):
    for loc in read_sitemap(client):
        path = loc.removeprefix(settings.PORTAL_BASE_URL)
        assert client.get(path).status_code == 200, path


def test_addresses_come_from_the_portal_address_not_from_the_host_header(client, content, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    response = client.get("/sitemap.xml", HTTP_HOST="localhost:1")
    assert response.status_code == 200
    assert b"localhost:1" not in response.content
    entries = read_sitemap(client, HTTP_HOST="localhost:1")
    addresses = [
        address
        for loc, entry in entries.items()
        for address in [loc, *entry["alternates"].values()]
    ]
    assert len(addresses) > 50
    for address in addresses:
        assert address.startswith(f"{settings.PORTAL_BASE_URL}/"), address


def test_sitemap_needs_few_queries(client, content):
    with CaptureQueriesContext(connection) as few:
        read_sitemap(client)
    for _number in range(20):
        ActorFactory()
        EventFactory()
        ProjectFactory()
        PublicationFactory()
    with CaptureQueriesContext(connection) as many:
        entries = read_sitemap(client)
    assert len(entries) > 100
    assert len(many) == len(few)


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    for path in ["/admin/", "/en/admin/", "/suche/", "/en/suche/"]:
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {settings.PORTAL_BASE_URL}/sitemap.xml" in lines


def test_robots_txt_is_the_same_for_every_language(client):
    english = client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="en")
    german = client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="de")
    assert english.content == german.content
    assert client.get("/en/robots.txt").status_code == 404
