"""/bildnachweise/: every image the public can see, with its credit and licence."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Event
from tests.actors.factories import ActorFactory
from tests.projects.factories import ProjectFactory, ProjectPhotoFactory

from .factories import BERLIN, EventFactory, EventPhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("image_credits")


def items(response, find) -> list[str]:
    return [
        node.text
        for node in find(response, "li")
        if "credit-list__item" in node.attrs.get("class", "")
    ]


def test_page_answers_and_is_reached_from_a_gallery(client, url, documented_event):
    assert url == "/bildnachweise/"
    event = documented_event()
    assertContains(client.get(event.get_absolute_url()), 'href="/bildnachweise/"')
    response = client.get("/en/bildnachweise/")
    assert response.status_code == 200
    assertContains(response, '<h1 class="kern-heading-x-large">Image credits</h1>', html=True)


def test_lists_event_photos_with_credit_and_licence_under_their_event(
    client, documented_event, find
):
    event = documented_event()
    response = client.get("/en/bildnachweise/")
    assertContains(
        response,
        f'<h3 id="credits-event-{event.pk}" class="kern-heading-small"><a class="kern-link" '
        f'href="{event.get_absolute_url()}" lang="de">Bilanzveranstaltung</a></h3>',
        html=True,
    )
    assert items(response, find) == [
        "Caption Podium am Nachmittag Credit © DV, Heike Mages "
        "Licence All rights reserved (used with permission)",
        "Caption Gruppenbild mit Zustimmung Credit © DV, Heike Mages Licence CC BY 4.0",
    ]


def test_photos_are_shown_small_and_described(client, url, documented_event, find):
    event = documented_event()
    response = client.get(url)
    images = [node for node in find(response, "img") if "credit-list__image" in node.attrs["class"]]
    assert len(images) == 2
    thumbnails = {photo.thumbnail.url for photo in event.photos.all()}
    for image in images:
        assert image.attrs["src"] in thumbnails
        assert image.attrs["alt"] == "Menschen im Gespräch an einem Tisch"
    for photo in event.photos.all():
        assert photo.image.name not in response.content.decode()


def test_photo_of_people_without_consent_is_left_out(client, url, documented_event):
    documented_event()
    response = client.get(url)
    assertNotContains(response, "Gruppenbild ohne Zustimmung")


def test_photos_of_unpublished_documentation_are_left_out(client, url, find):
    EventPhotoFactory(
        event=EventFactory(title="Noch nicht dokumentiert", documentation_published=False),
        caption="Vorab",
    )
    EventPhotoFactory(
        event=EventFactory(
            title="Entwurf", status=Event.Status.DRAFT, documentation_published=True
        ),
        caption="Entwurfsbild",
    )
    EventPhotoFactory(
        event=EventFactory(title="Veröffentlicht", documentation_published=True),
        caption="Sichtbar",
    )
    response = client.get(url)
    assertNotContains(response, "Noch nicht dokumentiert")
    assertNotContains(response, "Vorab")
    assertNotContains(response, "Entwurf")
    assertContains(response, "Sichtbar")
    assert len(items(response, find)) == 1


def test_photos_without_gallery_sizes_are_left_out(client, url):
    EventPhotoFactory(
        event=EventFactory(documentation_published=True), caption="Ohne Varianten", variants=False
    )
    assertNotContains(client.get(url), "Ohne Varianten")


def test_events_are_listed_newest_first(client, url):
    for title, year in [("Alt", 2019), ("Neu", 2021), ("Mittel", 2020)]:
        EventPhotoFactory(
            event=EventFactory(
                title=title,
                start=datetime.datetime(year, 5, 5, 10, tzinfo=BERLIN),
                documentation_published=True,
            )
        )
    response = client.get(url)
    groups = [group["owner"].title for group in response.context["event_photos"]]
    assert groups == ["Neu", "Mittel", "Alt"]


def test_lists_logos_of_published_actors(client, find):
    actor = ActorFactory(
        name="Stiftung Trias",
        logo="actors/logos/trias.png",
        logo_alt_text="Schriftzug Trias",
        logo_credit="© Stiftung Trias",
        logo_licence="all-rights-reserved",
    )
    ActorFactory(
        name="Geheime Stiftung",
        logo="actors/logos/geheim.png",
        logo_alt_text="Geheim",
        is_published=False,
    )
    ActorFactory(name="Ohne Logo")
    response = client.get("/en/bildnachweise/")
    assert items(response, find) == [
        "Shown on Stiftung Trias Credit © Stiftung Trias "
        "Licence All rights reserved (used with permission)"
    ]
    assertContains(
        response, f'<a class="kern-link" href="{actor.get_absolute_url()}">Stiftung Trias</a>'
    )
    (logo,) = [node for node in find(response, "img") if "logo" in node.attrs["class"]]
    assert logo.attrs["src"] == "/media/actors/logos/trias.png"
    assert logo.attrs["alt"] == "Schriftzug Trias"
    assertNotContains(response, "geheim.png")
    assertNotContains(response, "Ohne Logo")


def test_logo_without_credit_says_so(client):
    ActorFactory(logo="actors/logos/x.png", logo_alt_text="Logo X")
    response = client.get("/en/bildnachweise/")
    assertContains(response, "<dd>not stated</dd>", count=2, html=True)


def test_empty_page_says_so(client):
    response = client.get("/en/bildnachweise/")
    assertContains(response, "No images are published yet.")


def test_photos_of_published_projects_are_credited_too(client):
    shown = ProjectPhotoFactory(
        project=ProjectFactory(title="Bauzaungalerie"), credit="© Projektteam Bauzaun"
    )
    ProjectPhotoFactory(project=ProjectFactory(is_published=False), credit="© Entwurf")

    response = client.get(reverse("image_credits"))

    assertContains(response, "© Projektteam Bauzaun")
    assertContains(response, shown.project.get_absolute_url())
    assertNotContains(response, "© Entwurf")
