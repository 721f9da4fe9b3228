"""Open Graph tags: what a link preview in a messenger or social network shows."""

import pytest
from django.conf import settings

from tests.actors.factories import ActorFactory
from tests.events.factories import EventFactory, EventPhotoFactory
from tests.projects.factories import PublicationFactory

pytestmark = pytest.mark.django_db

# Addresses are on the configured public address, whatever host the request names.
HOST = settings.PORTAL_BASE_URL


def og(find, response) -> dict[str, str]:
    """``{"og:title": ..., ...}``: the Open Graph properties of a page (each at most once)."""
    tags = [node for node in find(response, "meta") if "property" in node.attrs]
    properties = [node.attrs["property"] for node in tags]
    assert len(properties) == len(set(properties)), properties
    return {node.attrs["property"]: node.attrs["content"] for node in tags}


@pytest.mark.parametrize(
    ("path", "locale", "alternate"),
    [("/", "de_DE", "en_GB"), ("/en/", "en_GB", "de_DE"), ("/en/akteure/", "en_GB", "de_DE")],
)
def test_every_page_has_the_defaults(client, find, path, locale, alternate):
    tags = og(find, client.get(path))
    assert tags["og:site_name"] == "Gemeinsam für das Quartier"
    assert tags["og:locale"] == locale
    assert tags["og:locale:alternate"] == alternate
    assert tags["og:type"] == "website"
    assert tags["og:title"]
    assert tags["og:url"] == f"{HOST}{path}"


def test_the_address_leaves_out_the_query(client, find):
    tags = og(find, client.get("/akteure/", {"city": "Berlin", "utm_source": "x"}))
    assert tags["og:url"] == f"{HOST}/akteure/"


def test_actor_page(client, find):
    actor = ActorFactory(
        name="Stiftung Trias",
        description="Boden für **gemeinschaftliches** Wohnen & Arbeiten.",
        logo="actors/logos/trias.png",
        logo_alt_text="Logo der Stiftung Trias",
    )
    tags = og(find, client.get(actor.get_absolute_url()))
    assert tags["og:type"] == "profile"
    assert tags["og:title"] == "Stiftung Trias"
    assert tags["og:description"] == "Boden für gemeinschaftliches Wohnen & Arbeiten."
    assert tags["og:url"] == f"{HOST}/akteure/{actor.slug}/"
    assert tags["og:image"] == f"{HOST}/media/actors/logos/trias.png"
    assert tags["og:image:alt"] == "Logo der Stiftung Trias"


def test_actor_without_logo_has_no_image(client, find):
    actor = ActorFactory(name="Ohne Logo", mission="Wir wollen das Quartier beleben.")
    tags = og(find, client.get(f"/en{actor.get_absolute_url()}"))
    assert "og:image" not in tags
    assert tags["og:description"] == "Wir wollen das Quartier beleben."
    assert tags["og:locale"] == "en_GB"
    assert tags["og:url"] == f"{HOST}/en/akteure/{actor.slug}/"


def test_event_page_shows_its_first_public_photo(client, find):
    event = EventFactory(
        title="Bilanzveranstaltung",
        summary="Rückblick auf ein Jahr Initiative.",
        documentation_published=True,
    )
    hidden = EventPhotoFactory(event=event, shows_people=True, people_consented=False, position=1)
    first = EventPhotoFactory(event=event, alt_text="Podium mit vier Personen", position=2)
    EventPhotoFactory(event=event, position=3)
    tags = og(find, client.get(event.get_absolute_url()))
    assert tags["og:type"] == "article"
    assert tags["og:title"] == "Bilanzveranstaltung"
    assert tags["og:description"] == "Rückblick auf ein Jahr Initiative."
    assert tags["og:image"] == f"{HOST}{first.display.url}"
    assert tags["og:image"].endswith(".webp")
    assert tags["og:image"] != f"{HOST}{hidden.display.url}"
    assert tags["og:image:alt"] == "Podium mit vier Personen"


def test_event_photos_of_unpublished_documentation_are_not_shown(client, find):
    event = EventFactory(documentation_published=False)
    EventPhotoFactory(event=event)
    tags = og(find, client.get(event.get_absolute_url()))
    assert "og:image" not in tags
    assert tags["og:type"] == "article"


def test_editor_text_is_escaped_in_the_tags(client, find):
    event = EventFactory(title='Treffen "am Fluss" <b>', summary='Mit "Zitaten" & <Klammern>.')
    response = client.get(event.get_absolute_url())
    tags = og(find, response)
    assert tags["og:title"] == 'Treffen "am Fluss" <b>'
    assert tags["og:description"] == 'Mit "Zitaten" & <Klammern>.'
    head = response.content.decode().split("</head>")[0]
    assert '<meta property="og:title" content="Treffen &quot;am Fluss&quot; &lt;b&gt;">' in head


def test_publication_page(client, find):
    publication = PublicationFactory(title="Abschlussbericht", summary="Was erreicht wurde.")
    tags = og(find, client.get(publication.get_absolute_url()))
    assert tags["og:type"] == "article"
    assert tags["og:title"] == "Abschlussbericht"
    assert tags["og:description"] == "Was erreicht wurde."
    assert tags["article:published_time"] == publication.published_on.isoformat()


def test_error_pages_keep_their_tags_without_a_request(client, find):
    """500.html is rendered without context; the tags that need the address are left out."""
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert 'property="og:site_name"' in html
    assert "og:url" not in html
