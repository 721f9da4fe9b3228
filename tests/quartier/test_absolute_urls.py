"""Absolute addresses come from settings.PORTAL_BASE_URL, never from the request's Host header.

Any host in ALLOWED_HOSTS, with any port, reaches the portal: ``Host: localhost:1`` must not end
up in a link preview, a feed, a calendar or structured data, where others copy it from.
"""

import pytest

from tests.actors.factories import ActorFactory
from tests.events.factories import EventFactory, EventPhotoFactory

pytestmark = pytest.mark.django_db

PORTAL = "https://quartier.example"
# Allowed (localhost is in the development ALLOWED_HOSTS), but not the portal's address.
HOST = "localhost:1"


@pytest.fixture(autouse=True)
def _portal_address(settings):
    settings.PORTAL_BASE_URL = PORTAL


@pytest.fixture
def event():
    actor = ActorFactory(name="Deutscher Verband", slug="deutscher-verband")
    event = EventFactory(
        title="Bilanzveranstaltung", slug="bilanzveranstaltung", documentation_published=True
    )
    event.organisers.add(actor)
    EventPhotoFactory(event=event)
    return event


def get(client, path):
    """The response to a request for ``path`` on another allowed host; that host is not in it."""
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, path
    assert HOST not in response.content.decode(), path
    return response


def test_open_graph_tags(client, find, event):
    response = get(client, event.get_absolute_url())
    tags = {
        node.attrs["property"]: node.attrs["content"]
        for node in find(response, "meta")
        if "property" in node.attrs
    }
    assert tags["og:url"] == f"{PORTAL}/veranstaltungen/bilanzveranstaltung/"
    assert tags["og:image"].startswith(f"{PORTAL}/media/")


def test_structured_data_of_an_event(client, event):
    content = get(client, event.get_absolute_url()).content.decode()
    assert f'"url": "{PORTAL}/veranstaltungen/bilanzveranstaltung/"' in content
    assert f'"url": "{PORTAL}/akteure/deutscher-verband/"' in content
    assert f'"image": ["{PORTAL}/media/' in content


@pytest.mark.parametrize(
    "path",
    ["/veranstaltungen/feed/", "/veranstaltungen/dokumentation/feed/", "/en/veranstaltungen/feed/"],
)
def test_feeds(client, event, path):
    content = get(client, path).content.decode()
    language = "/en" if path.startswith("/en/") else ""
    assert f'href="{PORTAL}{language}/veranstaltungen/"' in content
    assert f'href="{PORTAL}{language}/veranstaltungen/bilanzveranstaltung/"' in content


@pytest.mark.parametrize(
    "path", ["/veranstaltungen/kalender.ics", "/veranstaltungen/bilanzveranstaltung/kalender.ics"]
)
def test_calendars(client, event, path):
    content = get(client, path).content.decode()
    assert f"URL:{PORTAL}/veranstaltungen/bilanzveranstaltung/" in content


def test_robots_txt_names_the_sitemap(client):
    assert f"Sitemap: {PORTAL}/sitemap.xml" in get(client, "/robots.txt").content.decode()


@pytest.mark.parametrize(
    ("path", "german", "english"),
    [
        ("/", "/", "/en/"),
        ("/en/akteure/", "/akteure/", "/en/akteure/"),
        (
            "/akteure/?sector=stiftungen",
            "/akteure/?sector=stiftungen",
            "/en/akteure/?sector=stiftungen",
        ),
    ],
)
def test_alternates_name_every_language_and_a_default(client, find, path, german, english):
    response = get(client, path)
    alternates = {
        node.attrs["hreflang"]: node.attrs["href"]
        for node in find(response, "link", rel="alternate")
        if "hreflang" in node.attrs
    }
    assert alternates == {
        "de": f"{PORTAL}{german}",
        "en": f"{PORTAL}{english}",
        "x-default": f"{PORTAL}{german}",
    }
