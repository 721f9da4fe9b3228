"""Who works with whom (actors/network.py): the links from shared events, projects and groups,
only from what is public; the page /akteure/netzwerk/ (drawing and table of the same links,
filters, German and English) and "works together with" on an actor's page; their queries."""

import datetime
import io
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.test.html import parse_html

from actors.models import Actor
from actors.network import (
    PALETTE,
    SHAPES,
    SHOWN_LINKS,
    collaborators_of,
    network_graph,
    network_links,
    network_years,
    sector_styles,
)
from events.models import Event, ProgrammeItem, Speaker
from projects.models import Project, ProjectPartner
from tests.events.factories import (
    EventFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    SpeakerFactory,
    event_format,
)
from tests.html import find_elements, walk
from tests.projects.factories import ProjectFactory, ProjectPartnerFactory
from tests.quartier.test_query_counts import MAX_QUERIES, queries_for

from .factories import ActorFactory, SectorFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NETWORK = "/akteure/netzwerk/"


def pairs(links) -> set[tuple[str, str]]:
    return {(link.first.slug, link.second.slug) for link in links}


def pair(first: Actor, second: Actor) -> tuple[str, str]:
    a, b = sorted([first, second], key=lambda actor: (actor.name.lower(), actor.pk))
    return (a.slug, b.slug)


def link_between(first: Actor, second: Actor, links=None):
    wanted = pair(first, second)
    found = [link for link in (links or network_links()) if pairs([link]) == {wanted}]
    assert len(found) == 1, f"no link between {first} and {second}"
    return found[0]


@pytest.fixture
def sectors():
    return {
        "wohnen": SectorFactory(name="Wohnungswirtschaft", name_en="Housing", slug="wohnen"),
        "kultur": SectorFactory(name="Kultur", name_en="Culture", slug="kultur"),
        "stiftungen": SectorFactory(name="Stiftungen", name_en="Foundations", slug="stiftungen"),
    }


@pytest.fixture
def network(sectors):
    """An event with two organisers, a participating actor and a speaker's organisation; a
    project with a lead and a partner; a group with two members; and what must not count."""
    wohnen, kultur, stiftungen = sectors["wohnen"], sectors["kultur"], sectors["stiftungen"]
    a = {
        "degewo": ActorFactory(name="degewo AG", sector=wohnen),
        "howoge": ActorFactory(name="HOWOGE", sector=wohnen),
        "stellwerk": ActorFactory(name="STELLWERK Göttingen", sector=kultur),
        "trias": ActorFactory(name="Stiftung Trias", sector=stiftungen),
        "montag": ActorFactory(name="Montag Stiftung Urbane Räume", sector=stiftungen),
        "group": ActorFactory(name="Initiativen des kreativen Nachwuchses", sector=kultur),
        "draft": ActorFactory(name="Geheimer Verein", sector=kultur, is_published=False),
        "alone": ActorFactory(name="Einzelgänger e. V.", sector=kultur),
    }
    a["coi"] = ActorFactory(name="COI Bernburg", sector=kultur, parent=a["group"])
    a["schrill"] = ActorFactory(name="schrill Braunschweig", sector=kultur, parent=a["group"])
    event = EventFactory(
        title="Werkstattgespräch Wohnen und Kultur",
        start=datetime.datetime(2020, 3, 12, 14, tzinfo=BERLIN),
        end=datetime.datetime(2020, 3, 12, 17, tzinfo=BERLIN),
    )
    event.organisers.add(a["degewo"], a["howoge"], a["draft"])
    event.participants.add(a["stellwerk"])
    SpeakerFactory(programme_item=ProgrammeItemFactory(event=event), actor=a["trias"])
    # A registration names a free-text organisation: never a link, whatever it says.
    RegistrationFactory(event=event, organisation="Montag Stiftung Urbane Räume")
    project = ProjectFactory(
        title="Erdgeschosse beleben",
        lead_actor=a["degewo"],
        start=datetime.date(2021, 5, 1),
        end=datetime.date(2023, 4, 30),
    )
    ProjectPartnerFactory(project=project, actor=a["montag"])
    # Nothing unpublished links anyone: a draft event, a draft project.
    hidden_event = EventFactory(title="Entwurf", status=Event.Status.DRAFT)
    hidden_event.organisers.add(a["alone"], a["montag"])
    hidden_project = ProjectFactory(title="Geplant", lead_actor=a["alone"], is_published=False)
    ProjectPartnerFactory(project=hidden_project, actor=a["trias"])
    a["event"], a["project"] = event, project
    return a


# --- the links ----------------------------------------------------------------------------------


def test_links_from_an_event_organisers_participants_and_speakers(network):
    event_actors = [network[name] for name in ("degewo", "howoge", "stellwerk", "trias")]
    links = network_links()
    for index, first in enumerate(event_actors):
        for second in event_actors[index + 1 :]:
            link = link_between(first, second, links)
            assert [occasion.title for occasion in link.events] == [network["event"].title]
            assert link.events[0].url == network["event"].get_absolute_url()
    assert link_between(network["degewo"], network["howoge"], links).years == [2020]


def test_links_from_a_project_lead_and_partners(network):
    link = link_between(network["degewo"], network["montag"])
    assert [occasion.title for occasion in link.projects] == ["Erdgeschosse beleben"]
    assert link.projects[0].url == network["project"].get_absolute_url()
    assert link.years == [2021, 2022, 2023]  # from the project's start to its end
    assert link.count == 1


def test_links_from_a_group_among_members_and_with_the_group(network):
    links = network_links()
    for first, second in [("coi", "schrill"), ("coi", "group"), ("schrill", "group")]:
        link = link_between(network[first], network[second], links)
        assert [occasion.title for occasion in link.groups] == [network["group"].name]
        assert link.years == []


def test_only_public_things_link(network):
    found = pairs(network_links())
    slugs = {slug for pair_ in found for slug in pair_}
    assert network["draft"].slug not in slugs
    assert network["alone"].slug not in slugs  # only in a draft event and a draft project
    # Montag is only the partner of the published project (and an organiser of the draft
    # event, and named in a registration): its one link is to degewo.
    assert {p for p in found if network["montag"].slug in p} == {
        pair(network["degewo"], network["montag"])
    }
    # Trias's unpublished project gives it no link to the lead of that project.
    assert pair(network["trias"], network["alone"]) not in found


def test_an_unpublished_group_links_nobody(network):
    Actor.objects.filter(pk=network["group"].pk).unpublish()
    found = pairs(network_links())
    assert pair(network["coi"], network["schrill"]) not in found
    assert pair(network["coi"], network["group"]) not in found


def test_the_count_is_the_number_of_occasions(network):
    second = EventFactory(
        title="Netzwerktreffen",
        start=datetime.datetime(2022, 6, 1, 10, tzinfo=BERLIN),
        end=datetime.datetime(2022, 6, 1, 12, tzinfo=BERLIN),
    )
    second.organisers.add(network["degewo"])
    # The same actor as organiser and as speaker: the event is shared once, not twice.
    second.participants.add(network["montag"])
    SpeakerFactory(programme_item=ProgrammeItemFactory(event=second), actor=network["montag"])
    link = link_between(network["degewo"], network["montag"])
    assert link.count == 2
    assert [occasion.kind for occasion in link.occasions] == ["event", "project"]
    assert link.years == [2021, 2022, 2023]
    # The strongest link comes first.
    assert pairs(network_links()[:1]) == {pair(network["degewo"], network["montag"])}


def test_filter_by_sector_keeps_links_with_one_end_in_it(network, sectors):
    found = pairs(network_links(sector="stiftungen"))
    assert found == {
        pair(network["trias"], network["degewo"]),
        pair(network["trias"], network["howoge"]),
        pair(network["trias"], network["stellwerk"]),
        pair(network["montag"], network["degewo"]),
    }
    assert pairs(network_links(sector=sectors["stiftungen"])) == found
    assert network_links(sector="gibt-es-nicht") == []


def test_filter_by_year_keeps_that_years_occasions(network):
    in_2020 = pairs(network_links(year=2020))
    assert pair(network["degewo"], network["howoge"]) in in_2020
    assert pair(network["degewo"], network["montag"]) not in in_2020
    assert pairs(network_links(year=2022)) == {pair(network["degewo"], network["montag"])}
    assert network_links(year=2019) == []
    # Groups have no year.
    assert pair(network["coi"], network["schrill"]) not in in_2020
    assert network_years() == [2023, 2022, 2021, 2020]


def test_collaborators_of_an_actor(network):
    collaborators = collaborators_of(network["degewo"])
    names = [collaborator.actor.name for collaborator in collaborators]
    assert sorted(names) == sorted(
        ["HOWOGE", "STELLWERK Göttingen", "Stiftung Trias", "Montag Stiftung Urbane Räume"]
    )
    # The same as the whole network says about it.
    expected = {p for p in pairs(network_links()) if network["degewo"].slug in p}
    assert {
        pair(network["degewo"], Actor.objects.get(slug=c.actor.slug)) for c in collaborators
    } == (expected)
    members = [c.actor.slug for c in collaborators_of(network["group"])]
    assert sorted(members) == sorted([network["coi"].slug, network["schrill"].slug])
    assert collaborators_of(network["draft"]) == []


def test_a_change_shows_at_once(network):
    assert pair(network["alone"], network["degewo"]) not in pairs(network_links())
    assert collaborators_of(network["alone"]) == []
    network["event"].participants.add(network["alone"])
    assert pair(network["alone"], network["degewo"]) in pairs(network_links())
    assert len(collaborators_of(network["alone"])) == 4


# --- the network page ----------------------------------------------------------------------------


def svg_and_table(response):
    """The links the drawing draws, and those the table lists, as pairs of actor slugs."""
    edges = find_elements(response, "path", **{"class": "network-graph__edge"})
    drawn = [(edge.attrs["data-first"], edge.attrs["data-second"]) for edge in edges]
    root = parse_html(response.content.decode())
    listed = []
    for element in walk(root):
        if element.name == "tbody":
            for row in (child for child in walk(element) if child.name == "tr"):
                links = [dict(a.attributes)["href"] for a in walk(row) if a.name == "a"]
                listed.append(
                    tuple(
                        re.fullmatch(r"/(?:en/)?akteure/([^/]+)/", href).group(1)
                        for href in links[:2]
                    )
                )
    return drawn, listed


def test_the_drawing_and_the_table_show_the_same_links(client, network):
    response = client.get(NETWORK)
    assert response.status_code == 200
    drawn, listed = svg_and_table(response)
    assert drawn == listed
    assert set(drawn) == pairs(network_links())
    # Each drawn node is a link to an actor's page, named by a title; each node of a link is drawn.
    nodes = find_elements(response, "a", **{"class": "network-graph__node"})
    node_slugs = {re.fullmatch(r"/akteure/([^/]+)/", node.attrs["href"]).group(1) for node in nodes}
    assert node_slugs == {slug for p in drawn for slug in p}
    assert all(node.text for node in nodes)  # the <title> inside
    # The counts and how: the table says it in words.
    row = next(
        node
        for node in find_elements(response, "tr")
        if "Montag Stiftung Urbane Räume" in node.text and "degewo AG" in node.text
    )
    assert "Erdgeschosse beleben" in row.text and "2021, 2022, 2023" in row.text


def test_the_drawing_is_an_image_with_a_name_and_a_legend(client, network):
    response = client.get(NETWORK)
    (drawing,) = find_elements(response, "svg", role="img")
    assert drawing.attrs["aria-label"] == "Zeichnung des Netzwerks"
    content = response.content.decode()
    assert "<title>Zeichnung des Netzwerks</title>" in content
    assert '<desc id="network-graph-desc">' in content
    # The table: a caption and headers with their scope.
    assert find_elements(response, "caption")
    assert len(find_elements(response, "th", scope="col")) == 5
    assert find_elements(response, "th", scope="row")
    # The legend names each sector drawn, in words and with its shape, not only its colour.
    legend = [
        node.text for node in find_elements(response, "li", **{"class": "network-legend__item"})
    ]
    assert legend == ["Wohnungswirtschaft (Kreis)", "Kultur (Quadrat)", "Stiftungen (Dreieck)"]
    # Keyboard users can pass the drawing's many links by.
    assert find_elements(response, "a", href="#network-table")
    assert find_elements(response, "div", id="network-table")
    # The page explains what counts, and that registrations do not.
    assert "Anmeldungen zu Veranstaltungen werden nie ausgewertet" in content
    assert "https://" not in content.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_page_shows_a_change_at_once(client, network):
    drawn, _listed = svg_and_table(client.get(NETWORK))
    assert pair(network["alone"], network["degewo"]) not in drawn
    network["event"].participants.add(network["alone"])
    drawn, listed = svg_and_table(client.get(NETWORK))
    assert pair(network["alone"], network["degewo"]) in set(drawn) == set(listed)


def test_the_page_filters_by_sector_and_year(client, network):
    drawn, listed = svg_and_table(client.get(NETWORK, {"sector": "stiftungen"}))
    assert drawn == listed
    assert set(drawn) == pairs(network_links(sector="stiftungen"))
    response = client.get(NETWORK, {"sector": "wohnen", "year": "2021"})
    drawn, listed = svg_and_table(response)
    assert set(drawn) == set(listed) == {pair(network["degewo"], network["montag"])}
    selected = [
        option for option in find_elements(response, "option") if "selected" in option.attrs
    ]
    assert [option.text for option in selected] == ["Wohnungswirtschaft", "2021"]
    assert find_elements(response, "a", href=NETWORK)  # "reset all filters"


def test_an_unknown_filter_value_is_ignored_with_a_message(client, network):
    response = client.get(NETWORK, {"sector": "gibt-es-nicht", "year": "1850"})
    assert response.status_code == 200
    drawn, _listed = svg_and_table(response)
    assert set(drawn) == pairs(network_links())
    assert len(find_elements(response, "p", **{"class": "kern-error"})) == 2


def test_no_links_for_the_filters(client, network):
    SectorFactory(name="Handel", slug="handel")
    response = client.get(NETWORK, {"sector": "handel"})
    assert response.status_code == 200
    assert "Zu diesen Filtern gibt es keine Verbindungen." in response.content.decode()
    assert not find_elements(response, "svg", role="img")


def test_the_page_in_english(client, network):
    response = client.get(f"/en{NETWORK}", {"sector": "kultur"})
    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="kern-heading-x-large">Who works with whom</h1>' in content
    assert "Registrations for events are never used" in content
    (drawing,) = find_elements(response, "svg", role="img")
    assert drawing.attrs["aria-label"] == "Drawing of the network"
    nodes = find_elements(response, "a", **{"class": "network-graph__node"})
    assert nodes and all(node.attrs["href"].startswith("/en/akteure/") for node in nodes)
    legend = [
        node.text for node in find_elements(response, "li", **{"class": "network-legend__item"})
    ]
    assert "Culture (square)" in legend


def test_names_are_escaped(client, sectors):
    first = ActorFactory(name='Kunst & <script>alert("x")</script> e. V.', slug="kunst-und-script")
    second = ActorFactory(name="Nachbarn")
    event = EventFactory(title="Treffen <b>fett</b>")
    event.organisers.add(first, second)
    for path in (NETWORK, second.get_absolute_url()):
        content = client.get(path).content.decode()
        assert "<script>alert" not in content
        assert "<b>fett</b>" not in content
        assert "Kunst &amp; &lt;script&gt;" in content
        assert "Treffen &lt;b&gt;fett&lt;/b&gt;" in content


def test_the_page_shows_at_most_the_strongest_links(client, sectors):
    actors = [ActorFactory(name=f"Verein {index:02}") for index in range(26)]
    event = EventFactory()
    event.organisers.add(*actors)  # 26 actors, 325 links
    strong = EventFactory()
    strong.organisers.add(actors[24], actors[25])
    graph = network_graph()
    assert graph.total_links == 325 > SHOWN_LINKS == len(graph.links)
    assert pairs(graph.links[:1]) == {(actors[24].slug, actors[25].slug)}
    response = client.get(NETWORK)
    drawn, listed = svg_and_table(response)
    assert drawn == listed and len(drawn) == SHOWN_LINKS
    assert "die 300 stärksten" in response.content.decode()


def test_sector_colours_stand_out_against_the_page():
    def luminance(colour: str) -> float:
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in PALETTE:
        assert (1.05) / (luminance(colour) + 0.05) >= 4.5, colour
    assert len(set(PALETTE)) == len(PALETTE) == len(SHAPES) == len(set(SHAPES))


def test_no_two_sectors_look_alike():
    for index in range(20):
        SectorFactory(name=f"Bereich {index}", slug=f"bereich-{index}")
    styles = sector_styles().values()
    assert len({(style.colour, style.shape) for style in styles}) == len(styles) == 20


def test_network_is_a_reserved_address():
    actor = Actor(name="Netzwerk", slug="netzwerk")
    with pytest.raises(ValidationError) as raised:
        actor.clean()
    assert "slug" in raised.value.message_dict


@pytest.mark.parametrize("path", ["/akteure/", "/"])
def test_the_directory_and_the_home_page_link_the_network(client, network, path):
    assert find_elements(client.get(path), "a", href=NETWORK)


# --- the actor page ------------------------------------------------------------------------------


def test_actor_page_shows_who_it_works_with(client, network):
    response = client.get(network["degewo"].get_absolute_url())
    content = response.content.decode()
    assert "Arbeitet zusammen mit" in content
    items = find_elements(response, "li", **{"class": "actor-network__item"})
    assert len(items) == 4
    montag = next(item for item in items if item.text.startswith("Montag Stiftung"))
    assert "einmal (2021, 2022, 2023)" in montag.text
    assert "Erdgeschosse beleben" in montag.text
    links = find_elements(response, "a", **{"class": "actor-network__name kern-link"})
    assert {link.attrs["href"] for link in links} == {
        network[name].get_absolute_url() for name in ("howoge", "stellwerk", "trias", "montag")
    }
    assert find_elements(response, "a", href=f"{NETWORK}?sector=wohnen")


def test_actor_page_of_a_group_member(client, network):
    response = client.get(network["coi"].get_absolute_url())
    items = find_elements(response, "li", **{"class": "actor-network__item"})
    assert sorted(item.text.split(" einmal")[0] for item in items) == sorted(
        [network["group"].name, "schrill Braunschweig"]
    )


def test_actor_page_without_collaborators_has_no_section(client, network):
    content = client.get(network["alone"].get_absolute_url()).content.decode()
    assert "Arbeitet zusammen mit" not in content


def test_actor_page_in_english(client, network):
    content = client.get(f"/en{network['degewo'].get_absolute_url()}").content.decode()
    assert "Works together with" in content
    assert "once (2021, 2022, 2023)" in content


# --- the demo -----------------------------------------------------------------------------------


def test_the_demo_shows_links(client):
    call_command("load_demo", stdout=io.StringIO())
    response = client.get(NETWORK)
    drawn, listed = svg_and_table(response)
    assert drawn == listed and len(drawn) > 10
    dv = Actor.objects.get(short_name="DV")
    assert any(dv.slug in p for p in drawn)
    assert collaborators_of(dv)
    assert "Arbeitet zusammen mit" in client.get(dv.get_absolute_url()).content.decode()


# --- queries ------------------------------------------------------------------------------------


def populate(count: int, *, offset: int = 0) -> Actor:
    """``count`` more published actors in four sectors, in groups, at events and in projects,
    written in bulk; returns one of them that has collaborators of every kind."""
    sector_rows = [
        SectorFactory(name=name, slug=slug)
        for name, slug in [
            ("Stiftungen", "stiftungen"),
            ("Wohnen", "wohnen"),
            ("Kultur", "kultur"),
            ("Kommunen", "kommunen"),
        ]
    ]
    actors = Actor.objects.bulk_create(
        Actor(
            name=f"Organisation {offset + index:04}",
            slug=f"organisation-{offset + index:04}",
            sector=sector_rows[index % 4],
            is_published=index % 17 != 5,
        )
        for index in range(count)
    )
    groups = actors[::10]
    members = []
    for index, actor in enumerate(actors):
        if index % 10 in (1, 2, 3):
            actor.parent = groups[index // 10]
            members.append(actor)
    Actor.objects.bulk_update(members, ["parent"])
    events = Event.objects.bulk_create(
        Event(
            title=f"Treffen {offset + index}",
            slug=f"treffen-{offset + index}",
            kind=event_format("werkstattgespraech"),
            status=Event.Status.PUBLISHED if index % 9 else Event.Status.DRAFT,
            start=datetime.datetime(2020 + index % 5, 3, 1, 14, tzinfo=BERLIN),
            end=datetime.datetime(2020 + index % 5, 3, 1, 17, tzinfo=BERLIN),
            city="Berlin",
            summary="Ein Treffen.",
        )
        for index in range(max(1, count // 3))
    )
    organisers, participants, items = [], [], []
    for index, event in enumerate(events):
        chosen = [actors[(index * 3 + step) % count] for step in range(4)]
        organisers += [Event.organisers.through(event=event, actor=actor) for actor in chosen[:2]]
        participants.append(Event.participants.through(event=event, actor=chosen[2]))
        items.append(ProgrammeItem(event=event, title="Vortrag"))
    Event.organisers.through.objects.bulk_create(organisers)
    Event.participants.through.objects.bulk_create(participants)
    ProgrammeItem.objects.bulk_create(items)
    Speaker.objects.bulk_create(
        Speaker(programme_item=item, name="Referentin", actor=actors[(index * 3 + 3) % count])
        for index, item in enumerate(items)
    )
    projects = Project.objects.bulk_create(
        Project(
            title=f"Projekt {offset + index}",
            slug=f"projekt-{offset + index}",
            city="Berlin",
            summary="Ein Projekt.",
            start=datetime.date(2021, 1, 1),
            lead_actor=actors[(index * 7) % count],
            is_published=index % 6 != 1,
        )
        for index in range(max(1, count // 10))
    )
    ProjectPartner.objects.bulk_create(
        ProjectPartner(project=project, actor=actors[(index * 7 + step) % count])
        for index, project in enumerate(projects)
        for step in (1, 2)
    )
    return actors[1]  # a member of the first group, at events and in a project


@pytest.fixture(scope="module")
def measured(module_db):
    """``{page: [queries at 10 actors, at 200, at 1,000]}``, each page with an empty cache."""
    found = {}
    with module_db():
        for offset, count in ((0, 10), (10, 190), (200, 800)):
            actor = populate(count, offset=offset)
            for name, path in [
                ("network", NETWORK),
                ("network, filtered", f"{NETWORK}?sector=kultur&year=2021"),
                ("network, English", f"/en{NETWORK}"),
                ("actor", actor.get_absolute_url()),
            ]:
                client = Client()
                found.setdefault(name, []).append(queries_for(client, path))
            if count == 800:
                found["links at 1,000"] = len(network_links())
    return found


@pytest.mark.parametrize("page", ["network", "network, filtered", "network, English", "actor"])
def test_same_number_of_queries_at_every_size(measured, page):
    few, many, thousand = measured[page]
    assert len(few) == len(many) == len(thousand), "\n".join(thousand)
    assert len(thousand) <= MAX_QUERIES, "\n".join(thousand)


def test_the_page_is_built_at_1000_actors(measured):
    assert measured["links at 1,000"] > SHOWN_LINKS
