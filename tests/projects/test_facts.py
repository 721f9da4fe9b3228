"""The facts programme databases show of a project (federal state, size of the place, year of
start, budget, funding programme, why transferable): validated, shown on its page, filtered by
with counts on the list, found by the search, kept in the admin."""

import datetime
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import QueryDict
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from projects.filters import ProjectFilter
from projects.models import BudgetRange, FederalState, PlaceSize, Project
from tests.factories import UserFactory
from tests.html import text_of, walk

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db

LIST = reverse("projects:list")


def titles(response) -> list[str]:
    return [project.title for project in response.context["projects"]]


# --- validation -----------------------------------------------------------------------------


def test_a_project_without_any_fact_is_valid():
    """Rows from before the facts stay valid: every fact may be left empty."""
    project = ProjectFactory(start=None)
    project.full_clean()
    assert project.federal_state == project.place_size == project.budget_range == ""
    assert project.start_year is None
    assert project.funding_programme == project.why_transferable == ""


def test_the_year_of_start_is_taken_from_the_start_date():
    project = ProjectFactory(start=datetime.date(2021, 3, 1), start_year=None)
    project.full_clean()
    assert project.start_year == 2021


def test_the_year_of_start_must_match_the_start_date():
    project = ProjectFactory.build(start=datetime.date(2021, 3, 1), start_year=2019)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert error.value.message_dict["start_year"] == [
        "Das Startjahr muss das Jahr des Beginns sein."
    ]


@pytest.mark.parametrize("year", [1949, 2101, 0])
def test_a_year_outside_the_sensible_range_is_refused(year):
    project = ProjectFactory.build(start=None, start_year=year)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "start_year" in error.value.message_dict


def test_a_start_more_than_ten_years_ahead_is_refused():
    this_year = timezone.localdate().year
    ProjectFactory.build(start=None, start_year=this_year + 10).full_clean()
    project = ProjectFactory.build(start=None, start_year=this_year + 11)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert error.value.message_dict["start_year"] == [
        "Ein Projekt, das erst in mehr als 10 Jahren beginnt, kann noch nicht eingetragen werden."
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("federal_state", "XX"), ("place_size", "metropole"), ("budget_range", "1 Euro")],
)
def test_only_the_listed_choices_are_accepted(field, value):
    project = ProjectFactory.build(start=None, **{field: value})
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert field in error.value.message_dict


def test_sixteen_federal_states_and_the_bbsr_classes():
    assert len(FederalState.choices) == 16
    assert len(set(FederalState.values)) == 16
    assert PlaceSize.values == ["large_city", "medium_town", "small_town", "rural"]
    help_text = str(Project._meta.get_field("place_size").help_text)
    for population in ("ab 100.000", "20.000 bis unter 100.000", "5.000 bis unter 20.000"):
        assert population in help_text


def test_the_database_refuses_a_year_out_of_range():
    project = ProjectFactory(start=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(start_year=1800)


# --- the project's page ---------------------------------------------------------------------


@pytest.fixture
def project_with_facts():
    return ProjectFactory(
        title="Marktplatz für alle",
        city="Bernburg",
        start=datetime.date(2021, 5, 1),
        start_year=2021,
        federal_state=FederalState.SAXONY_ANHALT,
        place_size=PlaceSize.MEDIUM_TOWN,
        budget_range=BudgetRange.UNDER_50K,
        funding_programme="Lebendige Zentren",
        why_transferable="Es braucht nur **einen leeren Laden**.",
    )


def elements(root, tag: str, **attrs) -> list:
    """The elements under ``root`` (a parsed page or element) with that tag and attributes."""
    return [
        element
        for element in walk(root)
        if element.name == tag
        and all(dict(element.attributes).get(key) == value for key, value in attrs.items())
    ]


def facts(response) -> dict[str, str]:
    """The project's facts as its page lists them: {"Bundesland": "Sachsen-Anhalt", …}."""
    (facts_list,) = [
        element
        for element in elements(parse_html(response.content.decode()), "dl")
        if "project__facts" in dict(element.attributes).get("class", "")
    ]
    keys = [text_of(element) for element in elements(facts_list, "dt")]
    values = [" ".join(text_of(element).split()) for element in elements(facts_list, "dd")]
    return dict(zip(keys, values, strict=True))


def test_the_page_shows_the_facts_in_german(client, project_with_facts):
    response = client.get(project_with_facts.get_absolute_url())
    shown = facts(response)
    assert shown["Bundesland"] == "Sachsen-Anhalt"
    assert shown["Größe des Ortes"] == "Mittelstadt"
    assert shown["Startjahr"] == "2021"
    assert shown["Budget"] == "unter 50.000 €"
    assert shown["Förderprogramm"] == "Lebendige Zentren"
    # Each fact the list filters by leads to the projects that share it.
    assertContains(response, 'href="/projekte/?state=ST"')
    assertContains(response, 'href="/projekte/?size=medium_town"')
    assertContains(response, 'href="/projekte/?year=2021"')
    assertContains(response, 'href="/projekte/?budget=under_50k"')
    assertContains(response, "<h3 ", count=1)  # "Warum übertragbar?" is the only result
    assertContains(response, "Warum übertragbar?")
    assertContains(response, "<strong>einen leeren Laden</strong>", html=True)


def test_the_page_shows_the_facts_in_english(client, project_with_facts):
    response = client.get(f"/en{project_with_facts.get_absolute_url()}")
    shown = facts(response)
    assert shown["Federal state"] == "Saxony-Anhalt"
    assert shown["Size of the place"] == "Medium-sized town"
    assert shown["Year of start"] == "2021"
    assert shown["Budget"] == "under €50,000"
    assert shown["Funding programme"] == "Lebendige Zentren"
    assertContains(response, 'href="/en/projekte/?state=ST"')
    assertContains(response, "Why it can be transferred")


def test_a_project_without_facts_shows_none_of_them(client):
    project = ProjectFactory(start=None)
    shown = facts(client.get(f"/en{project.get_absolute_url()}"))
    assert set(shown) == {"Place"}


def test_a_large_year_is_written_without_a_thousands_separator(client, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    project = ProjectFactory(start=None, start_year=2024)
    assert facts(client.get(project.get_absolute_url()))["Startjahr"] == "2024"


def test_the_new_texts_are_escaped(client):
    project = ProjectFactory(
        funding_programme='<script>alert("programm")</script>',
        why_transferable='<script>alert("warum")</script><img src=x onerror=alert(1)> *gut*',
    )
    for path in (project.get_absolute_url(), reverse("results:overview")):
        content = client.get(path).content.decode()
        assert "<script>alert" not in content, path
        assert "onerror" not in content, path
    content = client.get(project.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;programm&quot;)&lt;/script&gt;" in content
    assert "<em>gut</em>" in content


def test_why_transferable_alone_counts_as_a_result(client):
    project = ProjectFactory(why_transferable="Überall dort, wo Läden leer stehen.")
    assert project.has_results
    response = client.get(reverse("results:overview"))
    assertContains(response, project.title)
    assertContains(response, "Warum übertragbar:")


# --- the list's filters with counts ---------------------------------------------------------


@pytest.fixture
def varied():
    """Six published projects with different facts, one without any, and a draft."""
    specs = [
        ("Boden Berlin", "BE", "large_city", 2021, "over_1m"),
        ("Laden Berlin", "BE", "large_city", 2022, "under_50k"),
        ("Markt Bernburg", "ST", "medium_town", 2021, "under_50k"),
        ("Hof Prädikow", "BB", "rural", 2022, "50k_250k"),
        ("Kino Malente", "SH", "small_town", 2021, "under_50k"),
        ("Ohne Angaben", "", "", None, ""),
    ]
    made = {
        title: ProjectFactory(
            title=title,
            start=None,
            federal_state=state,
            place_size=size,
            start_year=year,
            budget_range=budget,
        )
        for title, state, size, year, budget in specs
    }
    ProjectFactory(
        title="Entwurf Hamburg",
        start=None,
        federal_state="HH",
        place_size="large_city",
        start_year=2019,
        budget_range="under_50k",
        is_published=False,
    )
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "BE"}, ["Boden Berlin", "Laden Berlin"]),
        ({"size": "rural"}, ["Hof Prädikow"]),
        ({"year": "2021"}, ["Boden Berlin", "Kino Malente", "Markt Bernburg"]),
        ({"budget": "under_50k"}, ["Kino Malente", "Laden Berlin", "Markt Bernburg"]),
        ({"year": "2021", "budget": "under_50k"}, ["Kino Malente", "Markt Bernburg"]),
        ({"state": "BE", "year": "2022", "size": "large_city"}, ["Laden Berlin"]),
        ({"state": "BE", "budget": "50k_250k"}, []),
    ],
)
def test_filters_by_the_facts_and_their_combinations(client, varied, query, expected):
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert titles(response) == expected
    assert response.context["page_obj"].paginator.count == len(expected)


def test_counts_follow_the_other_chosen_filters(client, varied, options):
    response = client.get(f"/en{LIST}", {"year": "2021", "budget": "under_50k"})
    # Only the states of published projects are offered, by their names.
    assert options(response, "state") == [
        "All federal states",
        "Berlin (0)",
        "Brandenburg (0)",
        "Saxony-Anhalt (1)",
        "Schleswig-Holstein (1)",
    ]
    assert options(response, "size") == [
        "All sizes",
        "Large city (0)",
        "Medium-sized town (1)",
        "Small town (1)",
        "Rural municipality (0)",
    ]
    # A facet's own choice is left out of its counts, so that another value can be picked.
    assert options(response, "year") == ["All years", "2021 (2)", "2022 (1)"]
    assert options(response, "budget") == [
        "All budgets",
        "under €50,000 (2)",
        "€50,000–250,000 (0)",
        "€250,000–1 million (0)",
        "over €1 million (1)",
    ]
    # The older facets follow the new filters too.
    assert options(response, "status") == [
        "All statuses",
        "Planned (0)",
        "Running (2)",
        "Completed (0)",
    ]
    assert response.context["page_obj"].paginator.count == 2


def test_counts_without_filters_and_the_draft_left_out(client, varied, options):
    response = client.get(LIST)
    assert options(response, "state") == [
        "Alle Bundesländer",
        "Berlin (2)",
        "Brandenburg (1)",
        "Sachsen-Anhalt (1)",
        "Schleswig-Holstein (1)",
    ]
    assert options(response, "year") == ["Alle Jahre", "2021 (3)", "2022 (2)"]
    assert options(response, "size")[1:] == [
        "Großstadt (2)",
        "Mittelstadt (1)",
        "Kleinstadt (1)",
        "Landgemeinde (1)",
    ]
    assert options(response, "budget")[1:] == [
        "unter 50.000 € (3)",
        "50.000–250.000 € (1)",
        "250.000 €–1 Mio. € (0)",
        "über 1 Mio. € (1)",
    ]
    assertNotContains(response, "Hamburg")
    assertNotContains(response, "2019")


def test_chosen_facts_can_be_removed_one_by_one(client, varied, find):
    response = client.get(f"/en{LIST}", {"state": "BE", "year": "2022"})
    links = {
        node.text: node.attrs["href"]
        for node in find(response, "a")
        if node.text.startswith("Remove filter")
    }
    assert links == {
        "Remove filter Federal state: Berlin": "?year=2022",
        "Remove filter Year of start: 2022": "?state=BE",
    }
    (selected,) = find(response, "option", value="BE")
    assert "selected" in selected.attrs


@pytest.mark.parametrize(
    "query", [{"state": "XX"}, {"year": "1800"}, {"year": "abc"}, {"budget": "<script>"}]
)
def test_an_unknown_value_is_reported_and_the_others_stay(client, varied, query, find):
    response = client.get(f"/en{LIST}", {**query, "size": "large_city"})
    assert response.status_code == 200
    assert titles(response) == ["Boden Berlin", "Laden Berlin"]
    (error,) = find(response, "p", **{"class": "kern-error"})
    assert error.attrs["id"] == f"id_{next(iter(query))}-error"


def test_no_match_says_so_and_links_back(client, varied):
    response = client.get(f"/en{LIST}", {"state": "BE", "size": "rural"})
    assertContains(response, "No project matches these filters.")
    assertContains(response, 'href="/en/projekte/">Show all projects</a>')


# --- search and admin -----------------------------------------------------------------------


def test_the_search_finds_the_funding_programme(client):
    project = ProjectFactory(title="Marktplatz für alle", funding_programme="Lebendige Zentren")
    ProjectFactory(title="Anderes Projekt")
    response = client.get(reverse("search"), {"q": "Lebendige Zentren"})
    assertContains(response, project.get_absolute_url())
    assertNotContains(response, "Anderes Projekt")


@pytest.fixture
def editor_client(client):
    editor = UserFactory(
        username="redakteurin",
        is_staff=True,
        permissions=["view_project", "change_project", "add_project"],
    )
    client.force_login(editor)
    return client


def test_the_admin_groups_the_facts_and_suggests_programmes(editor_client):
    project = ProjectFactory()
    response = editor_client.get(f"/admin/projects/project/{project.pk}/change/")
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    (fieldset,) = [
        element
        for element in elements(page, "fieldset")
        if "Eckdaten zum Vergleich" in text_of(element)
    ]
    names = {
        dict(element.attributes).get("name")
        for tag in ("input", "select")
        for element in elements(fieldset, tag)
    }
    assert {
        "federal_state",
        "place_size",
        "start_year",
        "budget_range",
        "funding_programme",
    } <= names
    (field,) = elements(page, "input", name="funding_programme")
    (suggestions,) = elements(page, "datalist", id=dict(field.attributes)["list"])
    values = [dict(option.attributes)["value"] for option in elements(suggestions, "option")]
    assert "Sozialer Zusammenhalt" in values
    assert elements(page, "textarea", name="why_transferable")


def test_the_admin_list_filters_by_the_facts(editor_client):
    ProjectFactory(title="In Berlin", federal_state="BE", start=None)
    ProjectFactory(title="In Sachsen", federal_state="SN", start=None)
    response = editor_client.get("/admin/projects/project/", {"federal_state__exact": "BE"})
    assert response.status_code == 200
    assertContains(response, "In Berlin")
    assertNotContains(response, "In Sachsen")
    assertContains(response, "Bundesland")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"state": "BE"},
        {"state": "BE", "size": "large_city", "year": "2021", "budget": "over_1m"},
        {"status": "running", "city": "Berlin", "topic": "wohnen", "state": "BE", "year": "2022"},
    ],
)
def test_the_facets_counted_by_a_field_take_one_query_whatever_is_chosen(varied, query):
    """Seven facets in one UNION, and the actor's two: three queries for all the counts."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        counts = ProjectFilter(QueryDict(urlencode(query))).facet_counts()
    # Besides the content version and the offered values (both cached between requests).
    counting = [query["sql"] for query in captured.captured_queries if "COUNT(" in query["sql"]]
    assert len(counting) == 3, "\n".join(counting)
    assert sum("UNION ALL" in sql for sql in counting) == 1
    assert set(counts) == set(ProjectFilter.FACETS)
    # The same counts as each facet counted on its own.
    chosen = ProjectFilter(QueryDict(urlencode(query))).valid_choices()
    separate = ProjectFilter(QueryDict(urlencode(query)))
    for facet in ProjectFilter.COUNTED_TOGETHER:
        others = {name: value for name, value in chosen.items() if name != facet}
        queryset = Project.objects.published()
        for name, value in others.items():
            queryset = separate.filters[name].filter(queryset, value)
        assert counts[facet] == separate.facet_counts_for(facet, queryset), facet


def card(content: str, title: str) -> str:
    """The markup of the list's card of the project ``title``."""
    start = content.index(f">{title}</a>")
    return content[start : content.index("</article>", start)]


def test_the_list_cards_show_the_facts_that_are_known(client):
    ProjectFactory(
        title="Hof in Prädikow",
        city="Prädikow",
        neighbourhood="",
        start=None,
        end=None,
        federal_state=FederalState.BRANDENBURG,
        place_size=PlaceSize.RURAL,
        start_year=2019,
        budget_range=BudgetRange.FROM_250K,
    )
    ProjectFactory(title="Ohne Eckdaten", city="Kiel", neighbourhood="")

    content = client.get(reverse("projects:list")).content.decode()

    known = card(content, "Hof in Prädikow")
    assert "<dd>Prädikow (Brandenburg) · Landgemeinde</dd>" in known
    assert "<dt>Startjahr</dt><dd>2019</dd>" in known
    assert "<dt>Budget</dt><dd>250.000 €–1 Mio. €</dd>" in known
    unknown = card(content, "Ohne Eckdaten")
    assert "<dd>Kiel</dd>" in unknown
    assert "Startjahr" not in unknown and "Budget" not in unknown
    english = client.get("/en" + reverse("projects:list")).content.decode()
    assert "<dd>Prädikow (Brandenburg) · Rural municipality</dd>" in card(
        english, "Hof in Prädikow"
    )
