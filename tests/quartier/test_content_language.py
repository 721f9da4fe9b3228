"""German content on English pages says it is German, so that screen readers switch voice.

Content is written in German; only a few fields have an English variant. On an English page,
every element that shows German text carries ``lang="de"``: fields that exist in German only,
and bilingual fields whose English variant is empty. The German pages need no such mark.
"""

import pytest

from quartier.models import Page
from tests.actors.factories import ActorFactory, SectorFactory
from tests.events.factories import EventFactory, ProgrammeItemFactory, SpeakerFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def marked_german(find, response) -> dict[str, str]:
    """The text of every element marked German, by its tag; the language switch left out."""
    return {
        node.text: node.tag
        for node in find(response, lang="de")
        if node.tag != "html" and "language-switch" not in node.attrs.get("class", "")
    }


def test_an_actor_in_english(client, find):
    actor = ActorFactory(
        name="Stiftung Trias",
        sector=SectorFactory(name="Stiftungen", name_en="Foundations"),
        description="Die Stiftung fördert **gemeinschaftliches** Wohnen.",
        mission="Boden ist keine Ware.",
        topics=["Boden"],
    )
    german = marked_german(find, client.get(f"/en{actor.get_absolute_url()}"))
    assert german["Die Stiftung fördert gemeinschaftliches Wohnen."] == "div"
    assert german["Boden ist keine Ware."] == "blockquote"
    assert german["Boden"] == "ul"
    # The sector has an English name: nothing German about it.
    assert "Foundations" not in german and "Stiftungen" not in german


def test_a_bilingual_field_without_its_english_variant_is_marked(client, find):
    actor = ActorFactory(sector=SectorFactory(name="Stiftungen"))
    german = marked_german(find, client.get(f"/en{actor.get_absolute_url()}"))
    assert german["Stiftungen"] == "a"


def test_an_event_in_english(client, find):
    event = EventFactory(
        title="Werkstattgespräch Boden",
        summary="Wie Kommunen Boden vergeben.",
        description="Mit *Beispielen* aus Hattingen.",
    )
    item = ProgrammeItemFactory(event=event, title="Begrüßung", description="Kurz und herzlich.")
    SpeakerFactory(programme_item=item, name="Erika Mustermann", function="Vorstand")
    german = marked_german(find, client.get(f"/en{event.get_absolute_url()}"))
    assert german["Werkstattgespräch Boden"] == "h1"
    assert german["Wie Kommunen Boden vergeben."] == "p"
    assert german["Mit Beispielen aus Hattingen."] == "div"
    assert german["Begrüßung"] == "h3"
    assert german["Kurz und herzlich."] == "p"
    assert german["Erika Mustermann, Vorstand"] == "li"


def test_a_project_in_english(client, find):
    project = ProjectFactory(
        title="Bauzaun-Galerie",
        summary="Kunst am Bauzaun.",
        description="Ein **Zaun** wird zur Galerie.",
        lessons_learned="Früh fragen.",
        transferability="Überall möglich.",
    )
    german = marked_german(find, client.get(f"/en{project.get_absolute_url()}"))
    assert german["Bauzaun-Galerie"] == "h1"
    assert german["Kunst am Bauzaun."] == "p"
    assert german["Ein Zaun wird zur Galerie."] == "div"
    assert german["Früh fragen."] == "div"
    assert german["Überall möglich."] == "div"


@pytest.mark.parametrize("path", ["/akteure/{}/", "/veranstaltungen/{}/", "/projekte/{}/"])
def test_german_pages_need_no_mark(client, find, path):
    slug = "gleich"
    ActorFactory(slug=slug, description="Text.", mission="Text.")
    EventFactory(slug=slug, description="Text.")
    ProjectFactory(slug=slug, description="Text.")
    response = client.get(path.format(slug))
    assert response.status_code == 200
    assert marked_german(find, response) == {}


def test_a_page_in_english_is_marked_only_where_its_english_text_is_missing(client, find):
    page = Page.objects.get(slug="kontakt")
    page.title_en, page.body_en = "Contact", ""
    page.body = "Schreiben Sie uns."
    page.save()
    german = marked_german(find, client.get("/en/kontakt/"))
    assert german == {"Schreiben Sie uns.": "div"}
    page.body_en = "Write to us."
    page.save()
    assert marked_german(find, client.get("/en/kontakt/")) == {}


def test_cards_on_english_lists(client, find):
    ActorFactory(sector=SectorFactory(name="Kultur"), topics=["Nachbarschaft"])
    EventFactory(title="Werkstattgespräch Kultur", summary="Über Kultur im Quartier.")
    ProjectFactory(title="Bauzaun-Galerie", summary="Kunst am Bauzaun.")
    actors = marked_german(find, client.get("/en/akteure/"))
    assert actors["Kultur"] == "dd"
    assert actors["Nachbarschaft"] == "li"
    events = marked_german(find, client.get("/en/veranstaltungen/"))
    assert events["Werkstattgespräch Kultur"] == "a"
    assert events["Über Kultur im Quartier."] == "p"
    projects = marked_german(find, client.get("/en/projekte/"))
    assert projects["Bauzaun-Galerie"] == "a"
    assert projects["Kunst am Bauzaun."] == "p"


def test_search_results_in_english(client, find):
    EventFactory(title="Werkstattgespräch Boden", summary="Wie Kommunen Boden vergeben.")
    german = marked_german(find, client.get("/en/suche/?q=Boden"))
    assert german["Werkstattgespräch Boden"] == "a"
    assert any(tag == "p" and "Boden" in text for text, tag in german.items())
