"""/bildnachweise/ stays one page's size however many images the archive holds."""

import pytest
from django.test import override_settings

from quartier.site.views import ImageCreditsView
from tests.events.factories import EventFactory, EventPhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(ImageCreditsView, "shown_on_overview", 2)
    monkeypatch.setattr(ImageCreditsView, "paginate_by", 3)


def photos(count):
    event = EventFactory(documentation_published=True)
    return [
        EventPhotoFactory(event=event, position=n, credit=f"Fotograf {n}") for n in range(count)
    ]


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_overview_shows_the_first_images_and_links_to_all(client, small_pages):
    photos(5)
    response = client.get("/bildnachweise/")
    text = response.content.decode()
    assert text.count("Fotograf ") == 2
    assert 'href="?teil=veranstaltungen"' in text
    assert "Alle Fotos von Veranstaltungen (5)" in text


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_part_is_listed_in_full_a_page_at_a_time(client, small_pages):
    photos(5)
    first = client.get("/bildnachweise/?teil=veranstaltungen").content.decode()
    second = client.get("/bildnachweise/?teil=veranstaltungen&page=2").content.decode()
    credits = {f"Fotograf {n}" for n in range(5)}
    on_first = {credit for credit in credits if f"{credit}<" in first}
    on_second = {credit for credit in credits if f"{credit}<" in second}
    assert len(on_first) == 3 and len(on_second) == 2
    assert on_first | on_second == credits
    assert 'rel="next"' in first


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_page_beyond_the_last_shows_the_last(client, small_pages):
    photos(5)
    response = client.get("/bildnachweise/?teil=veranstaltungen&page=99")
    assert response.status_code == 200
    assert "Fotograf 4<" in response.content.decode()


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_new_photo_changes_the_count_at_once(client, small_pages):
    event_photos = photos(3)
    assert "(3)" in client.get("/bildnachweise/").content.decode()
    EventPhotoFactory(event=event_photos[0].event, position=9)
    assert "(4)" in client.get("/bildnachweise/").content.decode()
