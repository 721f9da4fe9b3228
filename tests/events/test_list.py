import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from events.filters import EventFilter
from events.models import Event
from events.views import EventListView

from .factories import BERLIN, EventFactory, event_format

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def url():
    return reverse("events:list")


def in_days(days: int, hour: int = 18) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN)


def on(year, month, day, hour=14, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def programme():
    """Past events of 2019 to 2021, two upcoming ones and two drafts."""
    return {
        "cancelled_2019": EventFactory(
            title="Abgesagtes Werkstattgespräch",
            start=on(2019, 11, 5),
            status=Event.Status.CANCELLED,
        ),
        "kickoff": EventFactory(
            title="Auftaktveranstaltung",
            kind=event_format("auftaktveranstaltung"),
            start=on(2020, 2, 20, 10),
            topics=["Kooperation"],
        ),
        "workshop": EventFactory(
            title="Werkstattgespräch Wohnen",
            start=on(2020, 6, 9),
            topics=["Wohnen", "Kooperation"],
        ),
        "review": EventFactory(
            title="Bilanzveranstaltung",
            kind=event_format("bilanzveranstaltung"),
            start=on(2020, 12, 3, 10),
            documentation_published=True,
            topics=["Kooperation"],
        ),
        "network": EventFactory(
            title="Netzwerktreffen",
            kind=event_format("netzwerktreffen"),
            start=on(2021, 3, 4),
            is_online=True,
            venue_name="",
            street="",
            postcode="",
            city="",
            topics=["Wohnen"],
        ),
        "later": EventFactory(title="Sommerfest im Quartier", start=in_days(40)),
        "soon": EventFactory(
            title="Werkstattgespräch Grünflächen", start=in_days(10), topics=["Wohnen"]
        ),
        "draft_past": EventFactory(
            title="Geheimer Entwurf", start=on(2020, 8, 1), status=Event.Status.DRAFT
        ),
        "draft_future": EventFactory(
            title="Geplant, nicht veröffentlicht",
            start=in_days(5),
            status=Event.Status.DRAFT,
            topics=["Verborgen"],
        ),
    }


def titles(events) -> list[str]:
    return [event.title for event in events]


def archive(response) -> dict[int, list[str]]:
    return {group["year"]: titles(group["events"]) for group in response.context["archive_years"]}


def shown(response) -> set[str]:
    upcoming = set(titles(response.context["upcoming"]))
    return upcoming | {title for group in archive(response).values() for title in group}


# --- what is listed, and in which order -----------------------------------------------------


def test_upcoming_first_soonest_first_then_the_archive_by_year(client, url, programme):
    response = client.get(url)
    assert response.status_code == 200
    assert titles(response.context["upcoming"]) == [
        "Werkstattgespräch Grünflächen",
        "Sommerfest im Quartier",
    ]
    assert archive(response) == {
        2021: ["Netzwerktreffen"],
        2020: ["Bilanzveranstaltung", "Werkstattgespräch Wohnen", "Auftaktveranstaltung"],
        2019: ["Abgesagtes Werkstattgespräch"],
    }
    assert list(archive(response)) == [2021, 2020, 2019]
    content = response.content.decode()
    # Titles such as "Netzwerktreffen" are also kinds in the filter form: look after it.
    content = content[content.index("</form>") :]
    positions = [
        content.index(f">{title}</a>")
        for title in [
            "Werkstattgespräch Grünflächen",
            "Sommerfest im Quartier",
            "Netzwerktreffen",
            "Bilanzveranstaltung",
            "Auftaktveranstaltung",
            "Abgesagtes Werkstattgespräch",
        ]
    ]
    assert positions == sorted(positions)


def test_year_headings_follow_the_section_headings(client, url, programme, find):
    response = client.get(url)
    assert [node.text for node in find(response, "h3", **{"class": "kern-heading-small"})] == [
        "2021",
        "2020",
        "2019",
    ]
    # Cards under a year are one level below it; upcoming cards one below their section.
    upcoming_titles = [
        node.text
        for node in find(response, "h3")
        if "event-card__title" in node.attrs.get("class", "")
    ]
    assert upcoming_titles == ["Werkstattgespräch Grünflächen", "Sommerfest im Quartier"]
    assert len(find(response, "h4")) == 5


def test_an_event_running_now_is_upcoming(client, url):
    EventFactory(
        title="Läuft gerade",
        start=timezone.now() - datetime.timedelta(hours=1),
        end=timezone.now() + datetime.timedelta(hours=1),
    )
    response = client.get(url)
    assert titles(response.context["upcoming"]) == ["Läuft gerade"]


def test_drafts_are_not_listed(client, url, programme):
    response = client.get(url)
    assertNotContains(response, "Geheimer Entwurf")
    assertNotContains(response, "Geplant, nicht veröffentlicht")
    assertNotContains(response, programme["draft_past"].get_absolute_url())


def test_filter_values_of_drafts_are_not_offered(client, url, programme, options):
    EventFactory(start=on(2017, 5, 5), status=Event.Status.DRAFT)
    response = client.get(url)
    assert not any("Verborgen" in label for label in options(response, "topic"))
    assert not any("2017" in label for label in options(response, "year"))


def test_entry_shows_date_time_kind_place_summary_and_link(client, url, programme, find):
    response = client.get(url)
    (card,) = [node for node in find(response, "article") if "Bilanzveranstaltung" in node.text]
    assert "3. Dezember 2020 , 10:00–13:00" in card.text  # text_of() joins elements with " "
    assert "Haus der Begegnung, Berlin" in card.text
    assert "Ein Werkstattgespräch über Kooperation im Quartier." in card.text
    assertContains(
        response,
        '<a class="kern-link event-card__link" href="/veranstaltungen/bilanzveranstaltung/">'
        "Bilanzveranstaltung</a>",
        html=True,
    )
    assertContains(response, '<time datetime="2020-12-03T10:00:00+01:00">', count=1)
    english = client.get("/en/veranstaltungen/")
    (card,) = [node for node in find(english, "article") if "Bilanzveranstaltung" in node.text]
    assert "Format Review and closing event" in card.text


def test_online_event_says_so(client, programme, find):
    response = client.get("/en/veranstaltungen/")
    (card,) = [node for node in find(response, "article") if "Netzwerktreffen" in node.text]
    assert "Place Online" in card.text


def test_badges_for_cancelled_events_and_published_documentation(client, programme, find):
    response = client.get("/en/veranstaltungen/")
    cancelled = find(response, "li", **{"class": "kern-badge kern-badge--danger"})
    documented = find(response, "li", **{"class": "kern-badge kern-badge--success"})
    assert [node.text for node in cancelled] == ["Cancelled"]
    assert [node.text for node in documented] == ["Documentation"]
    (card,) = [node for node in find(response, "article") if "Abgesagtes" in node.text]
    assert "Cancelled" in card.text
    (card,) = [node for node in find(response, "article") if "Bilanzveranstaltung" in node.text]
    assert "Documentation" in card.text


def test_empty_list_says_so(client):
    response = client.get("/en/veranstaltungen/")
    assert response.status_code == 200
    assertContains(response, "No events are planned at the moment.")
    assertContains(response, "No past events yet.")


def test_page_has_title_and_description(client, url, find):
    response = client.get("/en/veranstaltungen/")
    (title,) = find(response, "title")
    assert title.text.startswith("Events – ")
    (description,) = find(response, "meta", name="description")
    assert "workshop talks" in description.attrs["content"]
    (h1,) = find(response, "h1")
    assert h1.text == "Events"


def test_navigation_marks_events_as_current(client, url, find):
    response = client.get(url)
    (current,) = find(response, "a", **{"aria-current": "page", "class": "portal-nav__link"})
    assert current.attrs["href"] == url


# --- dates and times ------------------------------------------------------------------------


def test_dates_in_german_and_times_in_berlin(client, url):
    # 13:00 UTC in winter is 14:00 in Berlin; 13:00 UTC in summer is 15:00.
    EventFactory(
        title="Winter",
        start=datetime.datetime(2020, 12, 3, 13, 0, tzinfo=UTC),
        end=datetime.datetime(2020, 12, 3, 15, 0, tzinfo=UTC),
    )
    EventFactory(
        title="Sommer",
        start=datetime.datetime(2020, 7, 1, 13, 0, tzinfo=UTC),
        end=datetime.datetime(2020, 7, 1, 14, 30, tzinfo=UTC),
    )
    response = client.get(url)
    assertContains(response, "3. Dezember 2020</time>, 14:00–16:00")
    assertContains(response, "1. Juli 2020</time>, 15:00–16:30")
    assertContains(response, 'datetime="2020-12-03T14:00:00+01:00"')
    assertContains(response, 'datetime="2020-07-01T15:00:00+02:00"')


def test_dates_in_english(client):
    EventFactory(start=on(2020, 12, 3, 10), end=on(2020, 12, 3, 16))
    response = client.get("/en/veranstaltungen/")
    assertContains(response, "Dec. 3, 2020</time>, 10:00–16:00")


def test_event_over_several_days_shows_both_dates(client, url):
    EventFactory(start=on(2020, 9, 24, 10), end=on(2020, 9, 25, 15, 30))
    response = client.get(url)
    content = response.content.decode()
    assert "24. September 2020, 10:00" in content
    assert "25. September 2020, 15:30" in content


# --- filters --------------------------------------------------------------------------------


def test_filter_by_kind(client, url, programme):
    response = client.get(url, {"kind": "bilanzveranstaltung"})
    assert shown(response) == {"Bilanzveranstaltung"}


def test_filter_by_year(client, url, programme):
    response = client.get(url, {"year": "2020"})
    assert archive(response) == {
        2020: ["Bilanzveranstaltung", "Werkstattgespräch Wohnen", "Auftaktveranstaltung"]
    }
    assert response.context["upcoming"] == []


def test_filter_by_topic(client, url, programme):
    response = client.get(url, {"topic": "wohnen"})
    assert shown(response) == {
        "Werkstattgespräch Wohnen",
        "Netzwerktreffen",
        "Werkstattgespräch Grünflächen",
    }
    assert titles(response.context["upcoming"]) == ["Werkstattgespräch Grünflächen"]


def test_filters_combine(client, url, programme):
    response = client.get(
        url, {"topic": "kooperation", "year": "2020", "kind": "werkstattgespraech"}
    )
    assert shown(response) == {"Werkstattgespräch Wohnen"}


def test_filters_combine_to_nothing(client, programme):
    response = client.get("/en/veranstaltungen/", {"kind": "netzwerktreffen", "year": "2019"})
    assert response.status_code == 200
    assert shown(response) == set()
    assertContains(response, "No upcoming event matches these filters.")
    assertContains(response, "No past event matches these filters.")
    assertContains(response, 'href="/en/veranstaltungen/">Show all events</a>')


def test_year_is_the_year_in_berlin(client, url):
    # 23:30 on New Year's Eve in Berlin is 22:30 UTC; 00:30 on New Year's Day is 23:30 UTC.
    EventFactory(title="Silvester", start=on(2020, 12, 31, 23, 30), end=on(2021, 1, 1, 1))
    EventFactory(title="Neujahr", start=on(2021, 1, 1, 0, 30), end=on(2021, 1, 1, 2))
    assert shown(client.get(url, {"year": "2020"})) == {"Silvester"}
    assert shown(client.get(url, {"year": "2021"})) == {"Neujahr"}
    assert archive(client.get(url)) == {2021: ["Neujahr"], 2020: ["Silvester"]}


def test_option_labels_show_how_many_events_each_value_shows(client, programme, options):
    response = client.get("/en/veranstaltungen/")
    # Every format staff keep, in their order, with those no event has.
    assert options(response, "kind") == [
        "All formats",
        "Kick-off event (1)",
        "Working conference (0)",
        "Workshop talk (4)",
        "Perspectives workshop (0)",
        "Practice workshop (0)",
        "Network meeting (1)",
        "Review and closing event (1)",
        "Congress session (0)",
        "Conference (0)",
    ]
    years = options(response, "year")
    assert years[0] == "All years"
    assert years[-3:] == ["2021 (1)", "2020 (3)", "2019 (1)"]
    assert any(label.startswith(f"{programme['soon'].start.year} (") for label in years)
    assert options(response, "topic") == ["All topics", "Kooperation (3)", "Wohnen (3)"]


def test_option_counts_keep_the_other_filters(client, programme, options):
    response = client.get("/en/veranstaltungen/", {"year": "2020", "kind": "werkstattgespraech"})
    # Kinds are counted within 2020, years within workshop talks, topics within both.
    kinds = options(response, "kind")
    assert "Workshop talk (1)" in kinds
    assert "Review and closing event (1)" in kinds
    assert "Network meeting (0)" in kinds
    years = options(response, "year")
    assert "2019 (1)" in years
    assert "2021 (0)" in years
    assert options(response, "topic") == ["All topics", "Kooperation (1)", "Wohnen (1)"]


def test_chosen_values_stay_selected(client, url, programme, find):
    response = client.get(
        url, {"kind": "bilanzveranstaltung", "year": "2020", "topic": "kooperation"}
    )
    selected = {
        node.attrs["value"] for node in find(response, "option") if "selected" in node.attrs
    }
    assert selected == {"bilanzveranstaltung", "2020", "kooperation"}


def test_facet_counts_count_an_event_with_several_topics_once():
    EventFactory(
        kind=event_format("netzwerktreffen"),
        start=on(2020, 5, 5),
        topics=["Wohnen", "Kultur", "Boden"],
    )
    counts = EventFilter().facet_counts()
    assert counts["kind"] == {"netzwerktreffen": 1}
    assert counts["year"] == {"2020": 1}
    assert counts["topic"] == {"wohnen": 1, "kultur": 1, "boden": 1}


@pytest.mark.parametrize(
    ("query", "invalid", "expected"),
    [
        (
            {"kind": "gibt-es-nicht", "year": "2020", "topic": "kooperation"},
            "kind",
            {"Auftaktveranstaltung", "Werkstattgespräch Wohnen", "Bilanzveranstaltung"},
        ),
        (
            {"kind": "werkstattgespraech", "year": "1999", "topic": "kooperation"},
            "year",
            {"Werkstattgespräch Wohnen"},
        ),
        (
            {"kind": "werkstattgespraech", "year": "abc", "topic": "wohnen"},
            "year",
            {"Werkstattgespräch Wohnen", "Werkstattgespräch Grünflächen"},
        ),
        (
            {"kind": "werkstattgespraech", "year": "2020", "topic": "gibt-es-nicht"},
            "topic",
            {"Werkstattgespräch Wohnen"},
        ),
    ],
)
def test_invalid_value_answers_with_a_message_and_keeps_the_other_filters(
    client, programme, find, query, invalid, expected
):
    response = client.get("/en/veranstaltungen/", query)
    assert response.status_code == 200
    (select,) = find(response, "select", name=invalid)
    assert select.attrs["aria-invalid"] == "true"
    assertContains(response, "This value is not available; results are shown without this filter.")
    assert shown(response) == expected


def test_active_filter_can_be_removed_keeping_the_others(client, url, programme, find):
    response = client.get(url, {"kind": "werkstattgespraech", "year": "2020"})
    links = {node.attrs["href"] for node in find(response, "a") if "href" in node.attrs}
    assert "?year=2020" in links
    assert "?kind=werkstattgespraech" in links


STRANGE_VALUES = [
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "'; DROP TABLE events_event; --",
    "\x00",
    "Straße 😀 ẞ \u202e",
    "x" * 1000,
    "-1",
    "99999999999999999999",
]


@pytest.mark.parametrize("parameter", ["kind", "year", "topic", "page"])
@pytest.mark.parametrize("value", STRANGE_VALUES)
def test_strange_input_never_breaks_the_list(client, url, programme, parameter, value):
    response = client.get(url, {"topic": "wohnen", parameter: value})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)" not in content
    assert 'onmouseover="alert(1)' not in content


def test_filter_form_works_without_javascript(client, url, programme, find):
    response = client.get(url)
    (form,) = [node for node in find(response, "form") if node.attrs.get("role") == "search"]
    assert form.attrs["method"] == "get"
    assert form.attrs["action"] == url
    assert find(response, "button", type="submit")
    assert not find(response, "script")


def test_topic_link_on_an_event_page_filters_the_list(client, programme, find):
    detail = client.get(programme["workshop"].get_absolute_url())
    links = [
        node.attrs["href"]
        for node in find(detail, "a")
        if "topic=wohnen" in node.attrs.get("href", "")
    ]
    assert links == ["/veranstaltungen/?topic=wohnen"]
    assert "Werkstattgespräch Wohnen" in shown(client.get(links[0]))


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture
def many_past_events():
    return [
        EventFactory(
            title=f"Werkstattgespräch {index:02}",
            start=on(2020, 1, 1) + datetime.timedelta(days=7 * index),
        )
        for index in range(7)
    ]


def test_archive_is_paginated_and_upcoming_events_head_the_first_page(
    client, url, many_past_events, monkeypatch
):
    monkeypatch.setattr(EventListView, "paginate_by", 3)
    EventFactory(title="Demnächst", start=in_days(3))
    first = client.get(url)
    assert titles(first.context["upcoming"]) == ["Demnächst"]
    assert archive(first) == {
        2020: ["Werkstattgespräch 06", "Werkstattgespräch 05", "Werkstattgespräch 04"]
    }
    third = client.get(url, {"page": 3})
    assert third.context["upcoming"] == []
    assertNotContains(third, "Demnächst")
    assert archive(third) == {2020: ["Werkstattgespräch 00"]}


def test_pagination_links_keep_the_filters(client, url, many_past_events, monkeypatch, find):
    monkeypatch.setattr(EventListView, "paginate_by", 3)
    response = client.get(url, {"year": "2020"})
    links = {node.attrs.get("href") for node in find(response, "a", rel="next")}
    assert links == {"?year=2020&page=2"}


@pytest.mark.parametrize(("page_number", "count"), [("999", 1), ("abc", 3), ("", 3), ("0", 1)])
def test_pages_out_of_range_answer_normally(
    client, url, many_past_events, monkeypatch, page_number, count
):
    monkeypatch.setattr(EventListView, "paginate_by", 3)
    response = client.get(url, {"page": page_number})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == count


def test_many_upcoming_events_have_pages_of_their_own(client, url, many_past_events, monkeypatch):
    monkeypatch.setattr(EventListView, "paginate_by", 3)
    monkeypatch.setattr(EventListView, "upcoming_on_first_page", 3)
    for index in range(7):
        EventFactory(title=f"Bald {index}", start=in_days(3 + index))
    first = client.get(f"/en{url}", {"kind": "werkstattgespraech"})
    # The first page shows the next three and the first of the archive, and says there is more.
    assert titles(first.context["upcoming"]) == ["Bald 0", "Bald 1", "Bald 2"]
    assert archive(first) == {
        2020: ["Werkstattgespräch 06", "Werkstattgespräch 05", "Werkstattgespräch 04"]
    }
    more = 'href="?kind=werkstattgespraech&amp;zeit=kommend">All upcoming events</a>'
    assertContains(first, more)

    third = client.get(url, {"kind": "werkstattgespraech", "zeit": "kommend", "page": 3})
    assert titles(third.context["upcoming"]) == ["Bald 6"]
    assert third.context["archive_years"] == []
    assertNotContains(third, "Werkstattgespräch 06")
    assertContains(third, 'href="?kind=werkstattgespraech&amp;zeit=kommend&amp;page=2" rel="prev"')
    assertContains(third, 'href="?kind=werkstattgespraech">Kommende und vergangene Veranstaltungen')


def test_a_few_upcoming_events_need_no_page_of_their_own(client, url, monkeypatch):
    monkeypatch.setattr(EventListView, "upcoming_on_first_page", 3)
    for index in range(3):
        EventFactory(title=f"Bald {index}", start=in_days(3 + index))
    response = client.get(url)
    assert titles(response.context["upcoming"]) == ["Bald 0", "Bald 1", "Bald 2"]
    assertNotContains(response, "zeit=kommend")
