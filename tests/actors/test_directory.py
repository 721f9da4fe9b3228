import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from actors.filters import ActorFilter
from actors.models import Actor

from .factories import ActorFactory, SectorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("actors:list")


def shown(response) -> set[str]:
    """Names of the actors on the page the visitor sees."""
    return {actor.name for actor in response.context["actors"]}


def total(response) -> int:
    return response.context["page_obj"].paginator.count


# --- what is listed -------------------------------------------------------------------------


def test_lists_published_actors_only(client, url, directory):
    response = client.get(url)
    assert response.status_code == 200
    assert total(response) == 7
    assertContains(response, "Stiftung Trias")
    assertContains(response, directory["trias"].get_absolute_url())
    assertNotContains(response, "Geheime Stiftung")
    assertNotContains(response, directory["draft"].get_absolute_url())


def test_empty_directory_says_so(client):
    response = client.get("/en/akteure/")
    assert response.status_code == 200
    assertContains(response, "No organisation matches these filters.")


def test_filter_values_of_drafts_are_not_offered(client, url, directory, options):
    response = client.get(url)
    assert not any("Geheimstadt" in label for label in options(response, "city"))
    assert not any("Verborgen" in label for label in options(response, "topic"))


# --- filters --------------------------------------------------------------------------------


def test_filter_by_sector(client, url, directory):
    response = client.get(url, {"sector": "stiftungen"})
    assert shown(response) == {
        "Stiftung Trias",
        "Montag Stiftung Urbane Räume",
        "Stiftung Berliner Leben",
    }


def test_filter_by_role(client, url, directory):
    response = client.get(url, {"role": Actor.Role.ORGANISER})
    assert shown(response) == {directory["dv"].name}


def test_filter_by_topic(client, url, directory):
    response = client.get(url, {"topic": "gemeinwohl"})
    assert shown(response) == {"Stiftung Trias", "Montag Stiftung Urbane Räume", "HOWOGE"}


def test_cards_show_each_actors_topics(client, url, directory, find):
    response = client.get(url)
    badges = [
        node.text for node in find(response, "li", **{"class": "kern-badge kern-badge--info"})
    ]
    assert sorted(badges).count("Gemeinwohl") == 3  # Trias, Montag, HOWOGE; not the draft
    assert "Boden" in badges
    assert "Verborgen" not in badges


def test_filter_by_city(client, url, directory):
    response = client.get(url, {"city": "Berlin"})
    assert shown(response) == {
        "Stiftung Berliner Leben",
        "degewo AG",
        "HOWOGE",
        directory["dv"].name,
    }


def test_filters_combine(client, url, directory):
    response = client.get(url, {"sector": "wohnen", "city": "Berlin", "topic": "wohnen"})
    assert shown(response) == {"degewo AG", "HOWOGE"}
    response = client.get(url, {"sector": "wohnen", "topic": "gemeinwohl", "q": "kommunale"})
    assert shown(response) == {"HOWOGE"}


def test_filters_combine_to_nothing(client, directory):
    response = client.get("/en/akteure/", {"sector": "kultur", "city": "Berlin"})
    assert response.status_code == 200
    assert shown(response) == set()
    assertContains(response, "No organisation matches these filters.")


def test_active_filter_can_be_removed_keeping_the_others(client, url, directory, find):
    response = client.get(url, {"sector": "wohnen", "city": "Berlin"})
    removal_links = {node.attrs["href"] for node in find(response, "a") if "href" in node.attrs}
    assert "?city=Berlin" in removal_links
    assert "?sector=wohnen" in removal_links


# --- text search ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "names"),
    [
        # name
        ("Trias", {"Stiftung Trias"}),
        # short name
        ("DV", {"Deutscher Verband für Wohnungswesen, Städtebau und Raumordnung"}),
        # description
        ("Wohnungsbaugesellschaft", {"HOWOGE"}),
        # every word must match, in any field
        ("stiftung berliner", {"Stiftung Berliner Leben"}),
        ("kommunale howoge", {"HOWOGE"}),
        ("Stiftung Wohnen", {"Stiftung Trias"}),
        ("Stiftung Hamburg", set()),
        # case does not matter
        ("howoge", {"HOWOGE"}),
        ("DEGEWO", {"degewo AG"}),
        (
            "stIFtung",
            {
                "Stiftung Trias",
                "Montag Stiftung Urbane Räume",
                "Stiftung Berliner Leben",
                "Bundesstiftung Baukultur",
            },
        ),
        # drafts are never found
        ("Geheime", set()),
        ("veröffentlicht", set()),
    ],
)
def test_text_search(client, url, directory, q, names):
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    assert shown(response) == names


def test_text_search_is_kept_in_the_form(client, url, directory, find):
    response = client.get(url, {"q": "Stiftung Trias"})
    (field,) = find(response, "input", id="id_q")
    assert field.attrs["value"] == "Stiftung Trias"


# --- counts per filter value ----------------------------------------------------------------


def test_option_labels_show_how_many_actors_each_value_shows(client, url, directory, options):
    response = client.get(url)
    assert options(response, "sector")[1:] == [
        "Stiftungen (3)",
        "Wohnungswirtschaft (3)",
        "Kultur (1)",
    ]
    assert "Berlin (4)" in options(response, "city")
    assert "Gemeinwohl (3)" in options(response, "topic")


def test_option_labels_in_english(client, directory, options):
    response = client.get("/en/akteure/")
    assert options(response, "sector") == [
        "All sectors",
        "Foundations (3)",
        "Housing (3)",
        "Culture (1)",
    ]
    assert "Organiser (1)" in options(response, "role")
    assert "Participant (6)" in options(response, "role")


def test_option_counts_keep_the_other_filters(client, url, directory, options):
    response = client.get(url, {"city": "Berlin", "sector": "wohnen"})
    # The sector counts are those of Berlin; the chosen sector does not narrow them.
    assert options(response, "sector")[1:] == [
        "Stiftungen (1)",
        "Wohnungswirtschaft (3)",
        "Kultur (0)",
    ]
    # The city counts are those of the chosen sector.
    assert "Berlin (3)" in options(response, "city")
    assert "Bonn (0)" in options(response, "city")


def test_counts_are_kept_yet_follow_every_change(client, url, directory, sectors, options):
    """Choices and counts are computed once per state of the content, filtered or not."""
    for query in ({}, {"city": "Berlin", "sector": "wohnen"}):
        client.get(url, query)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, query)
        assert not any("GROUP BY" in entry["sql"] for entry in captured.captured_queries)

    ActorFactory(name="Neue Genossenschaft", sector=sectors["wohnen"], city="Berlin")
    directory["degewo"].topics.add("Gemeinwohl")
    directory["trias"].delete()

    response = client.get(url)
    assert options(response, "sector")[1:3] == ["Stiftungen (2)", "Wohnungswirtschaft (4)"]
    assert "Gemeinwohl (3)" in options(response, "topic")
    assert not [label for label in options(response, "city") if "Hattingen" in label]
    assert total(response) == 7
    response = client.get(url, {"city": "Berlin", "sector": "wohnen"})
    assert "Berlin (4)" in options(response, "city")
    assert total(response) == 4


def test_chosen_values_stay_selected(client, url, directory, find):
    response = client.get(url, {"city": "Berlin", "sector": "wohnen"})
    selected = {
        node.attrs["value"] for node in find(response, "option") if "selected" in node.attrs
    }
    assert selected == {"Berlin", "wohnen"}


def test_facet_counts_without_filters(directory):
    counts = ActorFilter({}).facet_counts()
    assert counts["sector"] == {"stiftungen": 3, "wohnen": 3, "kultur": 1}
    assert counts["role"] == {"participant": 6, "organiser": 1}
    assert counts["topic"] == {
        "boden": 1,
        "gemeinwohl": 3,
        "kultur": 1,
        "wohnen": 2,
        "baukultur": 1,
    }
    assert counts["city"] == {"Hattingen": 1, "Bonn": 1, "Berlin": 4, "Potsdam": 1}


def test_facet_counts_keep_the_other_filters(directory):
    counts = ActorFilter({"topic": "gemeinwohl", "city": "Berlin"}).facet_counts()
    assert counts["sector"] == {"wohnen": 1}
    # Its own filter does not narrow a facet: every topic of Berlin is counted.
    assert counts["topic"] == {"kultur": 1, "wohnen": 2, "gemeinwohl": 1}
    assert counts["city"] == {"Hattingen": 1, "Bonn": 1, "Berlin": 1}


def test_facet_counts_follow_the_text_search(directory):
    counts = ActorFilter({"q": "stiftung"}).facet_counts()
    assert counts["sector"] == {"stiftungen": 3, "kultur": 1}


def test_facet_counts_keep_the_valid_filters_when_one_value_is_invalid(directory):
    counts = ActorFilter({"sector": "gibt-es-nicht", "city": "Berlin"}).facet_counts()
    assert counts["sector"] == {"stiftungen": 1, "wohnen": 3}


def test_facet_count_of_an_actor_with_several_topics_counts_it_once(sectors):
    ActorFactory(sector=sectors["kultur"], topics=["Kunst", "Kultur", "Theater"])
    assert ActorFilter({}).facet_counts()["sector"] == {"kultur": 1}


# --- invalid and strange input --------------------------------------------------------------


def test_invalid_sector_answers_with_a_message_and_keeps_the_other_filters(client, directory):
    response = client.get("/en/akteure/", {"sector": "gibt-es-nicht", "city": "Berlin"})
    assert response.status_code == 200
    assertContains(response, "This value is not available")
    assert shown(response) == {
        "Stiftung Berliner Leben",
        "degewo AG",
        "HOWOGE",
        directory["dv"].name,
    }


def test_invalid_sector_keeps_the_other_choices_in_the_form(client, url, directory, find):
    """Sending the form again must not silently drop the city the visitor still sees applied."""
    response = client.get(url, {"sector": "gibt-es-nicht", "city": "Berlin"})
    selected = {
        node.attrs["value"] for node in find(response, "option") if "selected" in node.attrs
    }
    assert selected == {"Berlin"}


def test_too_long_search_answers_with_a_message(client, directory, find):
    response = client.get("/en/akteure/", {"q": "Stiftung " * 30, "city": "Berlin"})
    assert response.status_code == 200
    (field,) = find(response, "input", id="id_q")
    assert field.attrs.get("aria-invalid") == "true"
    assertContains(response, "at most 200 characters")


STRANGE_VALUES = [
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "'; DROP TABLE actors_actor; --",
    "\x00",
    "Straße 😀 ẞ ﷽ \u202e",
    "%",
    "_",
    "x" * 1000,
]


@pytest.mark.parametrize("parameter", ["q", "sector", "role", "topic", "city", "page"])
@pytest.mark.parametrize("value", STRANGE_VALUES)
def test_strange_input_never_breaks_the_directory(client, url, directory, parameter, value):
    response = client.get(url, {"sector": "stiftungen", parameter: value})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)" not in content
    assert 'onmouseover="alert(1)' not in content


def test_strange_input_is_escaped_where_it_is_shown(client, url, directory):
    response = client.get(url, {"q": "<script>alert(1)</script>"})
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
    assertNotContains(response, "<script>alert(1)</script>")


def test_raw_query_string_is_escaped(client, url, directory):
    """A hand-written address, not encoded by a browser, is escaped in links too."""
    response = client.get(f'{url}?q=<script>alert(1)</script>&city="><b>x</b>&sector=%00')
    assert response.status_code == 200
    assertNotContains(response, "<script>alert(1)")
    assertNotContains(response, "<b>x</b>")


def test_percent_and_underscore_are_searched_literally(client, url, directory):
    ActorFactory(name="100 % Quartier", sector=directory["trias"].sector)
    assert shown(client.get(url, {"q": "%"})) == {"100 % Quartier"}
    assert shown(client.get(url, {"q": "_"})) == set()


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture
def thirty_actors():
    sector = SectorFactory(name="Zivilgesellschaft", slug="zivilgesellschaft")
    return [ActorFactory(name=f"Initiative {index:02}", sector=sector) for index in range(30)]


def test_pagination(client, url, thirty_actors, settings):
    assert settings.ACTORS_PER_PAGE == 24
    first = client.get(url)
    assert len(first.context["actors"]) == 24
    second = client.get(url, {"page": 2})
    assert [actor.name for actor in second.context["actors"]] == [
        f"Initiative {index:02}" for index in range(24, 30)
    ]


def test_pagination_links_keep_the_filters(client, url, thirty_actors, find):
    response = client.get(url, {"sector": "zivilgesellschaft", "q": "Initiative"})
    links = {node.attrs.get("href") for node in find(response, "a", rel="next")}
    assert links == {"?sector=zivilgesellschaft&q=Initiative&page=2"}


@pytest.mark.parametrize(
    ("page_number", "count"), [("999", 6), ("abc", 24), ("", 24), ("0", 6), ("-1", 6)]
)
def test_pages_out_of_range_answer_normally(client, url, thirty_actors, page_number, count):
    # Django's Paginator.get_page: past either end gives the last page, nonsense the first.
    response = client.get(url, {"page": page_number})
    assert response.status_code == 200
    assert len(response.context["actors"]) == count


# --- works without JavaScript ---------------------------------------------------------------


def test_filter_form_works_without_javascript(client, url, directory, find):
    response = client.get(url)
    (form,) = [node for node in find(response, "form") if node.attrs.get("role") == "search"]
    assert form.attrs["method"] == "get"
    assert form.attrs["action"] == url
    assert find(response, "button", type="submit")
    assert not find(response, "script")


def test_topic_with_umlaut_can_be_chosen(client, url, sectors, find):
    actor = ActorFactory(sector=sectors["kultur"], topics=["Grünflächen"])
    ActorFactory(sector=sectors["kultur"], topics=["Gruenflaechen-Ersatz"])
    detail = client.get(actor.get_absolute_url())
    (link,) = [node for node in find(detail, "a") if "topic=" in node.attrs.get("href", "")]
    response = client.get(link.attrs["href"])
    assert response.status_code == 200
    assert shown(response) == {actor.name}
