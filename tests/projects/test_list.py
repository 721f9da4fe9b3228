import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import get_template
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from projects.models import Project
from projects.views import ProjectListView
from tests.actors.factories import ActorFactory

from .factories import ProjectFactory, ProjectPartnerFactory, ProjectPhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("projects:list")


@pytest.fixture
def projects():
    """Five published projects in three cities, led by or with three actors, and a draft."""
    degewo = ActorFactory(name="degewo AG")
    trias = ActorFactory(name="Stiftung Trias")
    stellwerk = ActorFactory(name="STELLWERK Göttingen")
    hidden = ActorFactory(name="Verborgene Initiative", is_published=False)
    made = {
        "erdgeschosse": ProjectFactory(
            title="Erdgeschosse",
            city="Berlin",
            status=Project.Status.COMPLETED,
            lead_actor=degewo,
            topics=["Wohnen", "Kultur"],
        ),
        "boden": ProjectFactory(
            title="Boden für alle",
            city="Berlin",
            status=Project.Status.PLANNED,
            lead_actor=trias,
            topics=["Boden"],
        ),
        "kulturwerkstatt": ProjectFactory(
            title="Kulturwerkstatt",
            city="Göttingen",
            status=Project.Status.RUNNING,
            lead_actor=stellwerk,
            topics=["Kultur"],
        ),
        "gruendung": ProjectFactory(
            title="Gründungsetage",
            city="Mannheim",
            status=Project.Status.RUNNING,
            lead_actor=hidden,
            topics=["Kultur", "Wohnen"],
        ),
        "nachbarschaft": ProjectFactory(
            title="Nachbarschaftshaus",
            city="Göttingen",
            status=Project.Status.COMPLETED,
            lead_actor=None,
            topics=["Wohnen"],
        ),
        "draft": ProjectFactory(
            title="Geheimer Entwurf",
            city="Hamburg",
            status=Project.Status.RUNNING,
            lead_actor=degewo,
            topics=["Verborgen"],
            is_published=False,
        ),
    }
    # Trias works as a partner in two more projects, one of them also led by… Trias itself.
    ProjectPartnerFactory(project=made["erdgeschosse"], actor=trias, role="Beratung")
    ProjectPartnerFactory(project=made["kulturwerkstatt"], actor=trias)
    ProjectPartnerFactory(project=made["boden"], actor=trias)
    ProjectPartnerFactory(project=made["kulturwerkstatt"], actor=degewo)
    ProjectPartnerFactory(project=made["nachbarschaft"], actor=hidden)
    ProjectPartnerFactory(project=made["draft"], actor=stellwerk)
    return made


def cards(find, response) -> list:
    return [
        node
        for node in find(response, "article")
        if "project-card" in node.attrs.get("class", "").split()
    ]


def titles(response) -> list[str]:
    return [project.title for project in response.context["projects"]]


# --- what is listed -------------------------------------------------------------------------


def test_lists_published_projects_by_title(client, url, projects):
    response = client.get(url)
    assert response.status_code == 200
    assert titles(response) == [
        "Boden für alle",
        "Erdgeschosse",
        "Gründungsetage",
        "Kulturwerkstatt",
        "Nachbarschaftshaus",
    ]
    assertNotContains(response, "Geheimer Entwurf")
    assertNotContains(response, "Hamburg")
    assertNotContains(response, "Verborgen")


def test_title_description_heading_and_navigation(client, url, find):
    response = client.get(f"/en{url}")
    (title,) = find(response, "title")
    assert title.text.startswith("Projects – ")
    (description,) = find(response, "meta", name="description")
    assert "Experimental neighbourhood projects" in description.attrs["content"]
    (heading,) = find(response, "h1")
    assert heading.text == "Projects"
    (current,) = find(response, "a", **{"aria-current": "page"})
    assert current.attrs["href"] == "/en/projekte/"
    assert current.text == "Projects"


def test_navigation_links_to_projects_from_every_page(client, find):
    response = client.get("/en/")
    links = [node for node in find(response, "a") if node.attrs.get("href") == "/en/projekte/"]
    assert [link.text for link in links][:1] == ["Projects"]


def test_nothing_published_yet(client, url):
    response = client.get(f"/en{url}")
    assertContains(response, "No projects have been published yet.")


def test_card_shows_place_status_period_lead_and_summary(client, url, find):
    project = ProjectFactory(
        title="Kulturwerkstatt",
        city="Göttingen",
        neighbourhood="Weststadt",
        status=Project.Status.RUNNING,
        start=datetime.date(2021, 3, 1),
        summary="Nachbarn machen Theater.",
        lead_actor=ActorFactory(name="STELLWERK Göttingen"),
    )
    response = client.get(url)
    (card,) = cards(find, response)
    assert "Göttingen, Weststadt" in card.text
    assert "März 2021" in card.text
    assert "STELLWERK Göttingen" in card.text
    assert "Nachbarn machen Theater." in card.text
    assertContains(
        response,
        f'<a class="kern-link project-card__link" href="{project.get_absolute_url()}">'
        "Kulturwerkstatt</a>",
        html=True,
    )
    (badge,) = [
        node for node in find(response, "span") if "project-status" in node.attrs.get("class", "")
    ]
    assert "kern-badge--success" in badge.attrs["class"]
    english = client.get(f"/en{url}")
    (card,) = cards(find, english)
    assert "since March 2021" in card.text
    assert "Running" in card.text


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"start": datetime.date(2021, 3, 1), "end": datetime.date(2023, 6, 30)}, "2021–2023"),
        (
            {"start": datetime.date(2021, 3, 1), "end": datetime.date(2021, 6, 30)},
            "March–June 2021",
        ),
        ({"start": datetime.date(2021, 3, 1)}, "since March 2021"),
        ({"start": datetime.date(2027, 5, 1), "status": "planned"}, "from May 2027"),
        ({"start": datetime.date(2019, 5, 1), "status": "completed"}, "started May 2019"),
        ({"start": None, "end": datetime.date(2023, 6, 30)}, "until June 2023"),
    ],
)
def test_period(client, url, find, fields, shown):
    """English: the German words come with the catalogue; month names follow the language."""
    ProjectFactory(**fields)
    response = client.get(f"/en{url}")
    (card,) = cards(find, response)
    # The page's text, read without the spaces between elements (<time>2021</time>–<time>…).
    assert shown.replace(" ", "") in card.text.replace(" ", "")


def test_card_without_period_or_published_lead(client, url, find):
    ProjectFactory(start=None, lead_actor=ActorFactory(name="Verborgen", is_published=False))
    response = client.get(f"/en{url}")
    (card,) = cards(find, response)
    assert "Period" not in card.text
    assert "Lead" not in card.text
    assertNotContains(response, "Verborgen")


def test_card_shows_the_first_public_photo_as_thumbnail(client, url, find):
    project = ProjectFactory()
    ProjectPhotoFactory(
        project=project,
        alt_text="Ohne Zustimmung",
        shows_people=True,
        people_consented=False,
        position=1,
    )
    photo = ProjectPhotoFactory(project=project, alt_text="Ein bemalter Bauzaun", position=2)
    photo.refresh_from_db()
    ProjectPhotoFactory(project=project, alt_text="Zweites Bild", position=3)
    response = client.get(url)
    (image,) = find(response, "img")
    assert image.attrs["alt"] == "Ein bemalter Bauzaun"
    assert image.attrs["src"] == photo.thumbnail.url
    assert image.attrs["src"].endswith("-480.webp")
    assert image.attrs["width"] == str(photo.thumbnail_width) == "480"
    assertNotContains(response, photo.image.name)


def test_card_without_photo_has_no_image(client, url, find):
    ProjectFactory()
    assert find(client.get(url), "img") == []


# --- filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "running"}, ["Gründungsetage", "Kulturwerkstatt"]),
        ({"city": "Göttingen"}, ["Kulturwerkstatt", "Nachbarschaftshaus"]),
        ({"topic": "kultur"}, ["Erdgeschosse", "Gründungsetage", "Kulturwerkstatt"]),
        # Lead or partner: Trias leads "Boden für alle" (and is a partner there too).
        ({"actor": "stiftung-trias"}, ["Boden für alle", "Erdgeschosse", "Kulturwerkstatt"]),
        ({"actor": "degewo-ag"}, ["Erdgeschosse", "Kulturwerkstatt"]),
        ({"status": "running", "city": "Göttingen"}, ["Kulturwerkstatt"]),
        ({"topic": "wohnen", "status": "completed"}, ["Erdgeschosse", "Nachbarschaftshaus"]),
        ({"actor": "stiftung-trias", "city": "Berlin", "topic": "kultur"}, ["Erdgeschosse"]),
        ({"actor": "degewo-ag", "status": "planned"}, []),
    ],
)
def test_filters_and_their_combinations(client, url, projects, query, expected):
    response = client.get(url, query)
    assert response.status_code == 200
    assert titles(response) == expected
    assert response.context["is_filtered"]


def test_facet_counts_keep_the_other_filters(client, url, projects, options):
    response = client.get(f"/en{url}", {"city": "Berlin"})
    assert options(response, "status") == [
        "All statuses",
        "Planned (1)",
        "Running (0)",
        "Completed (1)",
    ]
    # The city's own counts ignore the chosen city, so that another city can be picked.
    assert options(response, "city") == [
        "All cities",
        "Berlin (2)",
        "Göttingen (2)",
        "Mannheim (1)",
    ]
    assert options(response, "topic") == [
        "All topics",
        "Boden (1)",
        "Kultur (1)",
        "Wohnen (1)",
    ]
    # A project the actor both leads and partners in counts once.
    assert options(response, "actor") == [
        "All actors",
        "degewo AG (1)",
        "STELLWERK Göttingen (0)",
        "Stiftung Trias (2)",
    ]


def test_only_published_actors_of_published_projects_are_offered(client, url, projects, options):
    labels = options(client.get(url), "actor")
    assert "Verborgene Initiative" not in " ".join(labels)
    assert labels[1:] == ["degewo AG (2)", "STELLWERK Göttingen (1)", "Stiftung Trias (3)"]
    # Cities and topics of drafts are not offered either.
    assert "Hamburg" not in " ".join(options(client.get(url), "city"))
    assert "Verborgen" not in " ".join(options(client.get(url), "topic"))


def test_invalid_values_keep_the_other_filters(client, url, projects, find):
    response = client.get(
        f"/en{url}",
        {"status": "vergessen", "city": "Göttingen", "actor": "verborgene-initiative"},
    )
    assert response.status_code == 200
    assert titles(response) == ["Kulturwerkstatt", "Nachbarschaftshaus"]
    errors = find(response, "p", **{"class": "kern-error"})
    assert [error.attrs["id"] for error in errors] == ["id_status-error", "id_actor-error"]
    (select,) = find(response, "select", name="status")
    assert select.attrs["aria-invalid"] == "true"


@pytest.mark.parametrize(
    "query", [{"city": "Atlantis"}, {"topic": "<script>"}, {"page": "abc"}, {"status": ""}]
)
def test_nonsense_never_fails(client, url, projects, query):
    response = client.get(url, query)
    assert response.status_code == 200
    assert len(titles(response)) == 5


def test_form_works_without_javascript(client, url, projects, find):
    response = client.get(f"/en{url}", {"status": "running"})
    (form,) = find(response, "form", role="search")
    assert form.attrs["method"] == "get"
    assert form.attrs["action"] == "/en/projekte/"
    buttons = [button.text for button in find(response, "button", type="submit")]
    assert "Show projects" in buttons
    (selected,) = find(response, "option", value="running")
    assert "selected" in selected.attrs
    assertContains(response, "Remove filter Status: Running")
    assertContains(response, 'href="/en/projekte/">Reset all filters</a>')


def test_no_match(client, url, projects):
    response = client.get(f"/en{url}", {"actor": "degewo-ag", "status": "planned"})
    assertContains(response, "No project matches these filters.")


def test_pages(client, url, monkeypatch):
    monkeypatch.setattr(ProjectListView, "paginate_by", 2)
    for number in range(5):
        ProjectFactory(title=f"Projekt {number}")
    response = client.get(f"/en{url}", {"page": 3})
    assert titles(response) == ["Projekt 4"]
    assertContains(response, "5 projects")
    assertContains(response, 'href="?page=2" rel="prev"')


# --- the map --------------------------------------------------------------------------------


def test_map_places_are_the_matching_projects_and_the_actors_with_a_location(client, url):
    located = ProjectFactory(
        title="Mit Ort", city="Berlin", latitude=Decimal("52.52"), longitude=Decimal("13.405")
    )
    ProjectFactory(title="Ohne Ort", city="Berlin")
    ProjectFactory(
        title="Anderer Status",
        status=Project.Status.PLANNED,
        latitude=Decimal("52.5"),
        longitude=Decimal("13.4"),
    )
    ProjectFactory(
        title="Entwurf mit Ort",
        latitude=Decimal("52.5"),
        longitude=Decimal("13.4"),
        is_published=False,
    )
    ActorFactory(name="Akteur mit Ort", city="Mannheim", latitude=49.4875, longitude=8.466)
    ActorFactory(name="Verborgen mit Ort", latitude=49.4875, longitude=8.466, is_published=False)
    response = client.get(url, {"status": "running"})
    assert response.context["place_count"] == 2
    # The map loads them when the visitor asks for it, filtered as the list.
    assert response.context["places_url"] == "/projekte/orte.json?status=running"
    places = client.get(response.context["places_url"]).json()["places"]
    assert [(place["kind"], place["name"]) for place in places] == [
        ("project", "Mit Ort"),
        ("actor", "Akteur mit Ort"),
    ]
    assert places[0]["url"] == located.get_absolute_url()
    assert (places[0]["lat"], places[0]["lon"]) == (52.52, 13.405)


def test_the_map_links_to_the_places_listed_by_city(client, url, find):
    """The map (templates/includes/map.html) links to its places by city, without JavaScript."""
    get_template("includes/map.html")  # fails loudly if the include has gone
    project = ProjectFactory(
        title="Mit Ort", city="Berlin", latitude=Decimal("52.52"), longitude=Decimal("13.405")
    )
    response = client.get(f"/en{url}", {"status": "running"})
    content = response.content.decode()
    # The map follows the list: the page is about the projects first.
    assert content.index("project-card__link") < content.index("data-place-map")
    (link,) = [node for node in find(response, "a") if "data-place-list-link" in node.attrs]
    assert link.attrs["href"] == "/en/projekte/orte/?status=running"
    assert link.text == "List the places by city"

    listing = client.get(link.attrs["href"])
    assert [node.text for node in find(listing, "h3", **{"class": "kern-heading-small"})] == [
        "Berlin"
    ]
    (entry,) = find(listing, "a", href=project.get_absolute_url())
    assert entry.text == "Mit Ort"
    assert find(listing, "h1")[0].text == "Places of the projects and actors"


def test_no_project_takes_the_address_of_the_places():
    project = ProjectFactory.build(title="Orte", slug="")
    with pytest.raises(ValidationError) as raised:
        project.full_clean()
    assert "slug" in raised.value.message_dict
