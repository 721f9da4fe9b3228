"""Site search /suche/?q=: what it finds, what it never finds, snippets, odd input, queries.

The suite runs on SQLite and on PostgreSQL; tests marked ``postgres_only`` cover the German
full-text search (stemming) and are skipped on SQLite, where the simpler fallback runs.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains

from events.models import Event
from quartier.search import Highlighter, clean_query
from quartier.site.search import site_search
from tests.actors.factories import ActorFactory, OfferOrNeedFactory
from tests.events.factories import (
    BERLIN,
    EventDocumentFactory,
    EventFactory,
    ProgrammeItemFactory,
    SpeakerFactory,
)
from tests.projects.factories import ProjectDocumentFactory, ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db

URL = "/suche/"


def found(response) -> dict[str, list[str]]:
    """``{"actors": [titles], "events": [...], ...}`` of a search page, in the order shown."""
    return {
        group.key: [hit.title for hit in group.hits] for group in response.context["search"].groups
    }


def titles(response) -> set[str]:
    return {title for group in found(response).values() for title in group}


@pytest.fixture
def corpus():
    """Published and unpublished things of every kind, most of them about the "Quartier"."""
    things = {
        "actor": ActorFactory(
            name="Stiftung Trias",
            city="Hattingen",
            description="Boden für gemeinschaftliches Wohnen im Quartier.",
        ),
        "draft_actor": ActorFactory(
            name="Geheime Stiftung",
            description="Noch nicht veröffentlicht, auch im Quartier.",
            is_published=False,
        ),
        "event": EventFactory(
            title="Werkstattgespräch Nachbarschaft",
            summary="Wie Nachbarn ihr Quartier gemeinsam gestalten.",
            results="Alle wollen **weitermachen**.",
            documentation_published=True,
        ),
        "draft_event": EventFactory(
            title="Entwurf Quartier Treffen",
            summary="Noch nicht öffentlich, im Quartier.",
            status=Event.Status.DRAFT,
        ),
        "undocumented_event": EventFactory(
            title="Netzwerktreffen",
            summary="Ein Treffen ohne veröffentlichte Dokumentation.",
            results="Geheimergebnis aus dem Quartier.",
            documentation_published=False,
        ),
        "project": ProjectFactory(
            title="Lebendiges Quartier",
            summary="Nachbarn beleben eine Brache.",
            lessons_learned="Zwischennutzung braucht Geduld.",
        ),
        "draft_project": ProjectFactory(
            title="Verborgenes Quartier", summary="Noch geheim.", is_published=False
        ),
        "publication": PublicationFactory(
            title="Abschlussbericht der Initiative",
            summary="Was die Initiative im Quartier erreicht hat.",
        ),
        "draft_publication": PublicationFactory(
            title="Entwurf Zwischenbericht",
            summary="Noch nicht veröffentlicht, über das Quartier.",
            is_published=False,
        ),
    }
    item = ProgrammeItemFactory(
        event=things["event"], title="Podium Zwischennutzung", description="Mit Gästen."
    )
    SpeakerFactory(programme_item=item, name="Erika Musterfrau")
    EventDocumentFactory(
        event=things["event"], title="Protokoll Quartier", description="Was besprochen wurde."
    )
    EventDocumentFactory(
        event=things["undocumented_event"],
        title="Geheimprotokoll Quartier",
        description="Noch nicht freigegeben.",
    )
    EventDocumentFactory(
        event=things["draft_event"], title="Entwurfsprotokoll", description="Quartier."
    )
    ProjectDocumentFactory(
        project=things["project"], title="Projektbericht Quartier", description="Zahlen."
    )
    ProjectDocumentFactory(
        project=things["draft_project"], title="Geheimer Projektbericht", description="Quartier."
    )
    return things


# --- what is found, grouped by kind -------------------------------------------------------


def test_results_are_grouped_by_kind(client, corpus, find):
    response = client.get("/en/suche/", {"q": "Quartier"})
    assert response.status_code == 200
    groups = found(response)
    assert groups["actors"] == ["Stiftung Trias"]
    assert groups["events"] == ["Werkstattgespräch Nachbarschaft"]
    assert groups["projects"] == ["Lebendiges Quartier"]
    assert set(groups["documents"]) == {
        "Abschlussbericht der Initiative",
        "Projektbericht Quartier",
        "Protokoll Quartier",
    }
    headings = [" ".join(node.text.split()) for node in find(response, "h3")]
    assert headings == ["Actors (1)", "Events (1)", "Projects (1)", "Documents (3)"]
    assertContains(response, "6 results for “Quartier”")


def test_each_hit_links_to_its_page(client, corpus, find):
    response = client.get(URL, {"q": "Quartier"})
    links = {node.text: node.attrs["href"] for node in find(response, "a")}
    assert links["Stiftung Trias"] == corpus["actor"].get_absolute_url()
    assert links["Werkstattgespräch Nachbarschaft"] == corpus["event"].get_absolute_url()
    assert links["Lebendiges Quartier"] == corpus["project"].get_absolute_url()
    assert links["Abschlussbericht der Initiative"] == corpus["publication"].get_absolute_url()
    document = corpus["event"].documents.get()
    assert links["Protokoll Quartier"] == (
        f"/veranstaltungen/{corpus['event'].slug}/dokumente/{document.pk}/bericht.pdf"
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Musterfrau", {"Werkstattgespräch Nachbarschaft"}),  # a speaker's name
        ("Podium", {"Werkstattgespräch Nachbarschaft"}),  # a programme item's title
        ("Gästen", {"Werkstattgespräch Nachbarschaft"}),  # ... and its description
        ("weitermachen", {"Werkstattgespräch Nachbarschaft"}),  # published results
        ("Hattingen", {"Stiftung Trias"}),  # an actor's city
        ("Brache", {"Lebendiges Quartier"}),  # a project's summary
        ("Geduld", {"Lebendiges Quartier"}),  # what the project learned
        ("Zahlen", {"Projektbericht Quartier"}),  # a document's description
        ("Zwischennutzung", {"Werkstattgespräch Nachbarschaft", "Lebendiges Quartier"}),
    ],
)
def test_fields_that_are_searched(client, corpus, q, expected):
    assert titles(client.get(URL, {"q": q})) == expected


@pytest.mark.parametrize(
    "q",
    [
        "Geheime",  # unpublished actor
        "Entwurf",  # draft event, draft publication
        "Geheimergebnis",  # results of unpublished documentation
        "Geheimprotokoll",  # document of unpublished documentation
        "Entwurfsprotokoll",  # document of a draft event
        "Verborgenes",  # unpublished project
        "Geheimer",  # document of an unpublished project
        "Zwischenbericht",  # unpublished publication
    ],
)
def test_unpublished_things_are_never_found(client, corpus, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert titles(response) == set()
    assert response.context["search"].total == 0


def test_unpublished_things_are_not_found_among_others(client, corpus):
    shown = titles(client.get(URL, {"q": "Quartier"}))
    for key in ["draft_actor", "draft_event", "draft_project", "draft_publication"]:
        assert str(corpus[key]) not in shown
    assert "Netzwerktreffen" not in shown  # its results mention the Quartier, unpublished
    assert "Geheimprotokoll Quartier" not in shown


def test_every_word_must_match(client, corpus):
    assert titles(client.get(URL, {"q": "Quartier Hattingen"})) == {"Stiftung Trias"}
    assert titles(client.get(URL, {"q": "Quartier Mannheim"})) == set()


def test_a_cancelled_event_is_found(client):
    EventFactory(title="Abgesagtes Quartierstreffen Mitte", status=Event.Status.CANCELLED)
    assert titles(client.get(URL, {"q": "Mitte"})) == {"Abgesagtes Quartierstreffen Mitte"}


# --- order ----------------------------------------------------------------------------------


def test_a_title_match_ranks_before_a_description_match(client):
    ProjectFactory(
        title="Abendtreff", summary="Ein Treffpunkt.", description="Mit einem kleinen Garten."
    )
    ProjectFactory(title="Garten am Fluss", summary="Gemeinsam gärtnern.")
    response = client.get(URL, {"q": "Garten"})
    assert found(response)["projects"] == ["Garten am Fluss", "Abendtreff"]


def test_at_most_ten_per_kind_with_a_note(client):
    for number in range(12):
        ProjectFactory(title=f"Quartiersgarten {number:02}", summary="Garten im Quartier.")
    response = client.get("/en/suche/", {"q": "Garten"})
    (group,) = [group for group in response.context["search"].groups if group.key == "projects"]
    assert len(group.hits) == 10
    assert group.total == 12
    assertContains(response, "Showing the 10 best matches of 12.")
    assertContains(response, 'Projects <span class="search-group__count">(12)</span>', html=True)


# --- snippets -------------------------------------------------------------------------------


def test_snippet_marks_the_matched_words(client, corpus, find):
    response = client.get(URL, {"q": "Brache"})
    (snippet,) = [
        node for node in find(response, "p") if "search-result__snippet" in node.attrs["class"]
    ]
    assert snippet.text.startswith("Nachbarn beleben eine")
    assert [node.text for node in find(response, "mark")] == ["Brache"]


def test_snippet_comes_from_the_field_that_matched(client, corpus, find):
    response = client.get(URL, {"q": "Musterfrau"})
    assert [node.text for node in find(response, "mark")] == ["Musterfrau"]
    assertContains(response, "<mark>Musterfrau</mark>")


def test_editor_html_is_escaped_in_snippets(client):
    EventFactory(
        title="Sicherheitstest",
        summary='Ein <script>alert("Quartier")</script> und <b onclick="x()">fett</b> im Quartier.',
        description='<img src="https://tracker.example/x.gif"> Quartier <script>alert(2)</script>',
    )
    ActorFactory(
        name="Markdown-Akteur",
        description='Im **Quartier** zu Hause. <iframe src="https://evil.example/"></iframe>',
    )
    response = client.get(URL, {"q": "Quartier"})
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "<b onclick" not in content
    assert "<iframe" not in content
    assert "tracker.example" not in content
    assert "&lt;script&gt;alert(&quot;<mark>Quartier</mark>&quot;)&lt;/script&gt;" in content
    # Markdown is shown as the text a visitor reads, not as asterisks.
    assert "Im <mark>Quartier</mark> zu Hause." in content


def test_snippet_is_short_and_centred_on_the_match():
    highlighter = Highlighter(substrings=["quartier"])
    text = "Anfang " + "Wort " * 100 + "im Quartier " + "Ende " * 100
    snippet = str(highlighter.snippet([text]))
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "<mark>Quartier</mark>" in snippet
    assert len(snippet) < 260


def test_stem_highlighter_marks_inflected_words():
    highlighter = Highlighter(stems=["quartier", "haus"])
    snippet = str(highlighter.snippet(["Quartiere und Häuser, aber kein Hof & <Garten>."]))
    assert snippet == (
        "<mark>Quartiere</mark> und <mark>Häuser</mark>, aber kein Hof &amp; &lt;Garten&gt;."
    )


# --- the form and odd input -----------------------------------------------------------------


def test_search_box_in_the_header_of_every_page(client, find):
    for path in ["/", "/en/akteure/", "/veranstaltungen/", "/ergebnisse/"]:
        response = client.get(path)
        (box,) = [node for node in find(response, "div") if node.attrs.get("role") == "search"]
        assert box.attrs["aria-label"]
        (form,) = [
            node for node in find(response, "form") if "site-search__form" in node.attrs["class"]
        ]
        assert form.attrs["method"] == "get"
        assert form.attrs["action"] == ("/en/suche/" if path.startswith("/en/") else "/suche/")
        (field,) = find(response, "input", id="site-search-q")
        assert field.attrs["name"] == "q"
        assert find(response, "label", **{"for": "site-search-q"})


def test_page_title_names_the_search(client, corpus, find):
    (title,) = find(client.get("/en/suche/", {"q": "Quartier"}), "title")
    assert title.text.startswith("Search: Quartier –")
    (title,) = find(client.get("/en/suche/"), "title")
    assert title.text.startswith("Search –")


def test_search_page_is_not_indexed(client, find):
    (robots,) = find(client.get(URL, {"q": "Quartier"}), "meta", name="robots")
    assert "noindex" in robots.attrs["content"]


def test_empty_search_asks_for_a_word(client, corpus, find):
    for params in [{}, {"q": ""}, {"q": "   "}]:
        response = client.get("/en/suche/", params)
        assert response.status_code == 200
        assertContains(response, "Please enter what you are looking for")
        assert response.context["search"].problem == "empty"
        assert not find(response, "mark")


def test_too_long_search_answers_with_a_message_and_keeps_the_text(client, corpus, find):
    query = "Quartier " * 30
    response = client.get("/en/suche/", {"q": query})
    assert response.status_code == 200
    assertContains(response, "at most 200 characters")
    (field,) = find(response, "input", id="search-q")
    assert field.attrs["value"] == query.strip()
    assert field.attrs["aria-invalid"] == "true"
    assert titles(response) == set()


def test_the_query_stays_in_the_box(client, corpus, find):
    response = client.get(URL, {"q": 'Quartier "Hattingen"'})
    (field,) = find(response, "input", id="search-q")
    assert field.attrs["value"] == 'Quartier "Hattingen"'


def test_nothing_found_offers_ways_on(client, corpus):
    response = client.get("/en/suche/", {"q": "Zeppelin"})
    assert response.status_code == 200
    assertContains(response, "0 results for “Zeppelin”")
    assertContains(response, "Nothing was found.")


STRANGE_QUERIES = [
    '"',
    '"Quartier',
    "Quartier\"'",
    "%",
    "_",
    "%Quartier%",
    "\x00",
    "Quar\x00tier",
    "<script>alert(1)</script>",
    "'; DROP TABLE actors_actor; --",
    "!",
    "-Quartier",
    "Quartier OR Brache",
    "(Quartier | Brache) & !",
    ":*",
    "\\",
    "Straße 😀 ẞ ﷽ \u202e",
    "der die das",  # only words too common to index in German
    "x" * 1000,
    " ".join(f"w{n}" for n in range(40)),
    # FTS5's syntax, which must reach it only as words
    "NEAR(Quartier Brache)",
    "NEAR(Quartier Brache, 2)",
    "Quartier AND Brache",
    "Quartier OR",
    "NOT Quartier",
    "AND",
    "*",
    "Quartier*",
    "^Quartier",
    "title:Quartier",
    "{title summary}: Quartier",
    '"Quartier" + "Brache"',
    "(((",
    ")",
    "Quartier 😀",
    "😀",
    "Ü" * 200,
    "Quartier\x00*",
]


@pytest.mark.parametrize("q", STRANGE_QUERIES)
def test_strange_input_is_answered(client, corpus, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)" not in content
    assert response.context["search"].problem in ("", "empty", "too_long")


def test_a_nul_byte_is_ignored(client, corpus):
    assert clean_query("Quar\x00tier\n ") == "Quar tier"
    assert titles(client.get(URL, {"q": "Brache\x00"})) == {"Lebendiges Quartier"}


def test_percent_and_underscore_are_searched_literally(client):
    ProjectFactory(title="Hundert Prozent Quartier", summary="Zu 100% im Quartier.")
    ProjectFactory(title="Anderes Projekt", summary="Nichts davon.")
    assert titles(client.get(URL, {"q": "%"})) <= {"Hundert Prozent Quartier"}
    assert titles(client.get(URL, {"q": "_"})) == set()


# --- PostgreSQL: German full-text search ----------------------------------------------------


@pytest.mark.postgres_only
def test_inflected_word_finds_the_base_form(client, corpus, find):
    response = client.get(URL, {"q": "Quartiere"})
    assert "Lebendiges Quartier" in found(response)["projects"]
    assert "Stiftung Trias" in found(response)["actors"]
    assert "Quartier" in [node.text for node in find(response, "mark")]


@pytest.mark.postgres_only
def test_plural_of_a_word_in_the_text_is_found(client):
    ProjectFactory(title="Hofgarten", summary="Ein Garten für alle Häuser der Straße.")
    assert titles(client.get(URL, {"q": "Haus"})) == {"Hofgarten"}
    assert titles(client.get(URL, {"q": "Gärten"})) == {"Hofgarten"}


@pytest.mark.postgres_only
def test_web_search_syntax(client, corpus):
    ProjectFactory(title="Quartier am See", summary="Ruhig gelegen.")
    assert titles(client.get(URL, {"q": "Quartier -Lebendiges"})) >= {"Quartier am See"}
    assert "Lebendiges Quartier" not in titles(client.get(URL, {"q": "Quartier -Lebendiges"}))
    assert found(client.get(URL, {"q": '"Lebendiges Quartier"'}))["projects"] == [
        "Lebendiges Quartier"
    ]


@pytest.mark.postgres_only
def test_only_common_words_find_nothing(client, corpus):
    response = client.get(URL, {"q": "der die das"})
    assert response.status_code == 200
    assert response.context["search"].total == 0


# --- SQLite: the fallback -------------------------------------------------------------------


def test_fallback_uses_at_most_ten_words(client, corpus):
    if connection.vendor == "postgresql":
        pytest.skip("the word limit belongs to the SQLite fallback")
    words = " ".join(["Quartier", *(f"Wort{n}" for n in range(12))])
    outcome = site_search(words)
    assert outcome.words_ignored
    assert outcome.total == 0


# --- queries --------------------------------------------------------------------------------


@pytest.fixture
def populate():
    """``populate(count)`` adds that many matching things of every kind, documents included."""
    added = 0

    def add(count: int) -> None:
        nonlocal added
        for index in range(added, added + count):
            actor = ActorFactory(description=f"Akteur {index} im Quartier.", city="Berlin")
            OfferOrNeedFactory(actor=actor, title=f"Räume {index} im Quartier")
            event = EventFactory(
                summary=f"Veranstaltung {index} im Quartier.",
                results="Ergebnisse aus dem Quartier.",
                documentation_published=True,
                start=datetime.datetime(2020, 1, 1, 10, tzinfo=BERLIN)
                + datetime.timedelta(days=index),
            )
            item = ProgrammeItemFactory(event=event, title="Quartiersrundgang")
            SpeakerFactory(programme_item=item)
            SpeakerFactory(programme_item=item)
            EventDocumentFactory(event=event, title=f"Protokoll {index} Quartier")
            project = ProjectFactory(summary=f"Projekt {index} im Quartier.")
            ProjectDocumentFactory(project=project, title=f"Bericht {index} Quartier")
            PublicationFactory(summary=f"Publikation {index} über das Quartier.")
        added += count

    return add


MAX_QUERIES = 12


def queries_for(client, path: str, params: dict) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    assert response.context["search"].total > 0
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("path", ["/suche/", "/en/suche/"])
def test_same_number_of_queries_for_few_and_many_results(client, populate, path):
    populate(3)
    few = queries_for(client, path, {"q": "quartier"})
    populate(25)
    many = queries_for(client, path, {"q": "quartier"})
    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= MAX_QUERIES, "\n".join(many)
    groups = {group.key: group for group in site_search("quartier").groups}
    assert all(len(group.hits) == 10 for group in groups.values())
    assert groups["documents"].total == 3 * 28
