"""Editor text in attributes (``<meta content>``, Open Graph) stays inside its attribute.

An editor who types a quotation mark must not end the attribute and add one of their own, such
as ``http-equiv="refresh"``; and the text reads as typed, escaped exactly once.
"""

import pytest

from quartier.models import Page
from tests.actors.factories import ActorFactory
from tests.events.factories import EventFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

# What an editor might type: quotation marks, an attempt at an attribute, angle brackets.
TYPED = 'Wir sagen "Hallo" http-equiv="refresh" und 3 < 4 & 5 > 2.'


def head_meta(find, response) -> list[dict]:
    """The attributes of every <meta> element of the page."""
    return [node.attrs for node in find(response, "meta")]


def description(find, response) -> str:
    """The page's <meta name="description">, which must carry no other attribute."""
    (meta,) = [attrs for attrs in head_meta(find, response) if attrs.get("name") == "description"]
    assert set(meta) == {"name", "content"}, meta
    return meta["content"]


def open_graph(find, response, prop: str) -> str:
    (meta,) = [attrs for attrs in head_meta(find, response) if attrs.get("property") == prop]
    assert set(meta) == {"property", "content"}, meta
    return meta["content"]


def assert_no_attribute_added(find, response):
    for attrs in head_meta(find, response):
        assert "http-equiv" not in attrs, attrs
        assert set(attrs) <= {"name", "property", "content", "charset"}, attrs


def test_page_body_in_the_description(client, find):
    Page.objects.filter(slug="impressum").update(body=f"**{TYPED}**\n\nZweiter Absatz.")
    response = client.get("/impressum/")
    assert_no_attribute_added(find, response)
    assert description(find, response) == f"{TYPED} Zweiter Absatz."


def test_actor_description_in_the_open_graph_tags(client, find):
    actor = ActorFactory(name='Verein "Mitte" <e. V.>', description=f"*{TYPED}*")
    response = client.get(actor.get_absolute_url())
    assert_no_attribute_added(find, response)
    assert open_graph(find, response, "og:description") == TYPED
    assert open_graph(find, response, "og:title") == 'Verein "Mitte" <e. V.>'
    assert description(find, response).startswith('Verein "Mitte" <e. V.> ')


def test_actor_mission_when_there_is_no_description(client, find):
    actor = ActorFactory(description="", mission=TYPED)
    response = client.get(actor.get_absolute_url())
    assert_no_attribute_added(find, response)
    assert open_graph(find, response, "og:description") == TYPED


def test_event_summary(client, find):
    event = EventFactory(title='Treffen "am Fluss"', summary=TYPED)
    response = client.get(event.get_absolute_url())
    assert_no_attribute_added(find, response)
    assert description(find, response) == TYPED
    assert open_graph(find, response, "og:description") == TYPED


def test_project_summary(client, find):
    project = ProjectFactory(title='Projekt "Hof" <1>', summary=TYPED)
    response = client.get(project.get_absolute_url())
    assert_no_attribute_added(find, response)
    assert description(find, response) == TYPED
    assert open_graph(find, response, "og:description") == TYPED
    assert open_graph(find, response, "og:title") == 'Projekt "Hof" <1>'
