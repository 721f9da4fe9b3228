import datetime
import json
import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Event, EventDocument
from quartier.links import absolute_url
from tests.actors.factories import ActorFactory

from .factories import BERLIN, EventFactory, ProgrammeItemFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def with_class(nodes, name: str) -> list:
    """The nodes that carry the CSS class ``name`` (among others)."""
    return [node for node in nodes if name in node.attrs.get("class", "").split()]


def json_ld(response) -> dict:
    """The schema.org data of a page, parsed as a search engine reads it."""
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


# --- who sees what --------------------------------------------------------------------------


def test_published_event_has_a_page(client):
    event = EventFactory(title="Auftaktveranstaltung")
    response = client.get("/veranstaltungen/auftaktveranstaltung/")
    assert response.status_code == 200
    assert response.context["event"] == event
    assertContains(
        response, '<h1 class="kern-heading-x-large">Auftaktveranstaltung</h1>', html=True
    )


def test_draft_is_not_found(client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_unknown_event_is_not_found(client):
    assert client.get("/veranstaltungen/gibt-es-nicht/").status_code == 404


def test_editors_see_a_draft_with_a_notice(staff_client):
    event = EventFactory(status=Event.Status.DRAFT)
    response = staff_client.get(f"/en{event.get_absolute_url()}")
    assert response.status_code == 200
    assertContains(response, "Draft: this event is not published")


def test_published_page_has_no_draft_notice(staff_client):
    event = EventFactory()
    response = staff_client.get(f"/en{event.get_absolute_url()}")
    assertNotContains(response, "Draft:")


def test_cancelled_event_stays_visible_with_a_notice(client, find):
    event = EventFactory(title="Netzwerktreffen im Herbst", status=Event.Status.CANCELLED)
    response = client.get(f"/en{event.get_absolute_url()}")
    assert response.status_code == 200
    (alert,) = with_class(find(response, "div"), "event__cancelled")
    assert "This event has been cancelled" in alert.text
    content = response.content.decode()
    # The notice comes first, before the title.
    assert content.index("This event has been cancelled") < content.index("<h1")


def test_published_event_has_no_cancelled_notice(client):
    response = client.get(f"/en{EventFactory().get_absolute_url()}")
    assertNotContains(response, "cancelled")


# --- facts ----------------------------------------------------------------------------------


def test_page_shows_date_place_kind_summary_and_calendar_link(client, documented_event, find):
    event = documented_event()
    response = client.get(event.get_absolute_url())
    assertContains(response, "3. Dezember 2020</time>, 10:00–16:00")
    assertContains(
        response,
        '<address class="event__address">Haus der Begegnung<br>Littenstraße 10<br>10179 Berlin'
        "</address>",
        html=True,
    )
    assertContains(response, event.summary)
    assertContains(
        response, f'href="/veranstaltungen/{event.slug}/kalender.ics" type="text/calendar"'
    )
    english = client.get(f"/en{event.get_absolute_url()}")
    (kind,) = find(english, "p", **{"class": "kern-preline"})
    assert kind.text == "Review and closing event"
    assertContains(english, "Dec. 3, 2020</time>, 10:00–16:00")


def test_page_title_and_description(client, find):
    event = EventFactory(title="Werkstattgespräch Boden", summary="Über Boden und Gemeinwohl.")
    response = client.get(event.get_absolute_url())
    (title,) = find(response, "title")
    assert title.text.startswith("Werkstattgespräch Boden – ")
    (description,) = find(response, "meta", name="description")
    assert description.attrs["content"] == "Über Boden und Gemeinwohl."


def test_times_are_shown_in_berlin(client):
    event = EventFactory(
        start=datetime.datetime(2020, 12, 3, 13, 0, tzinfo=UTC),
        end=datetime.datetime(2020, 12, 3, 17, 30, tzinfo=UTC),
    )
    response = client.get(event.get_absolute_url())
    assertContains(response, "3. Dezember 2020</time>, 14:00–18:30")
    assertNotContains(response, "13:00")


def test_event_over_two_days(client):
    event = EventFactory(
        start=datetime.datetime(2020, 9, 24, 10, 0, tzinfo=BERLIN),
        end=datetime.datetime(2020, 9, 25, 15, 0, tzinfo=BERLIN),
    )
    response = client.get(event.get_absolute_url())
    assertContains(response, '<time datetime="2020-09-24T10:00:00+02:00">24. September 2020, 10:00')
    assertContains(response, '<time datetime="2020-09-25T15:00:00+02:00">25. September 2020, 15:00')


def test_online_event_shows_its_address(client, find):
    event = EventFactory(
        is_online=True,
        online_url="https://konferenz.example/raum",
        venue_name="",
        street="",
        postcode="",
        city="",
    )
    response = client.get(f"/en{event.get_absolute_url()}")
    (online,) = with_class(find(response, "p"), "event__online")
    assert online.text.startswith("Online")
    assertContains(
        response,
        '<a class="kern-link" href="https://konferenz.example/raum" rel="noopener noreferrer">'
        "https://konferenz.example/raum</a>",
        html=True,
    )
    assert not find(response, "address")


def test_organisers_and_participants_link_to_published_actors_only(client, documented_event):
    event = documented_event()
    response = client.get(event.get_absolute_url())
    assertContains(
        response,
        '<a class="kern-link" href="/akteure/deutscher-verband/">Deutscher Verband (DV)</a>',
        html=True,
    )
    assertContains(
        response, '<a class="kern-link" href="/akteure/degewo-ag/">degewo AG</a>', html=True
    )
    assertNotContains(response, "Verborgener Mitveranstalter")
    assertNotContains(response, "Geheime Initiative")
    assertNotContains(response, "/akteure/geheime-initiative/")


def test_topics_are_listed(client, documented_event, find):
    response = client.get(documented_event().get_absolute_url())
    topics = [node.text for node in find(response, "a") if "?topic=" in node.attrs.get("href", "")]
    assert topics == ["Kooperation", "Quartiersmanagement"]


def test_description_is_rendered_as_sanitised_markdown(client):
    event = EventFactory(
        description="Wir sprechen über **Kooperation**.\n\n<script>alert(1)</script>"
        '<img src="https://tracker.example/p.gif">'
    )
    response = client.get(event.get_absolute_url())
    assertContains(response, "<strong>Kooperation</strong>", html=True)
    content = response.content.decode()
    assert "alert(1)</script>" not in content
    assert "tracker.example" not in content


# --- programme ------------------------------------------------------------------------------


def test_programme_in_order_with_times_and_speakers(client, documented_event, find):
    event = documented_event()
    response = client.get(event.get_absolute_url())
    items = find(response, "li", **{"class": "programme__item"})
    assert [item.text.split(" ")[0] for item in items] == ["10:00–10:30", "11:00"]
    assert "Begrüßung" in items[0].text
    assert "Rückblick auf das Jahr." in items[0].text
    assertContains(
        response,
        '<li>Christian Huttenloher, Generalsekretär, <a class="kern-link" '
        'href="/akteure/deutscher-verband/">Deutscher Verband</a></li>',
        html=True,
    )
    assertContains(response, "<li>Erika Muster, Vorstand, Netzwerk Immovielien</li>", html=True)
    # The speaker's organisation is not yet in the public directory: neither named nor linked.
    assertContains(response, "<li>Max Beispiel, Referent</li>", html=True)
    assertNotContains(response, "Noch nicht freigeschaltet")


def test_programme_follows_the_positions(client):
    event = EventFactory()
    ProgrammeItemFactory(event=event, title="Zweitens", position=2, starts_at=None)
    ProgrammeItemFactory(event=event, title="Erstens", position=1, starts_at=None)
    response = client.get(event.get_absolute_url())
    content = response.content.decode()
    assert content.index("Erstens") < content.index("Zweitens")


def test_speaker_organisation_text_links_to_the_actor(client):
    event = EventFactory()
    speaker = SpeakerFactory(
        programme_item=ProgrammeItemFactory(event=event),
        name="Ada Beispiel",
        function="",
        organisation="Stiftung Trias (Hattingen)",
        actor=ActorFactory(name="Stiftung Trias"),
    )
    response = client.get(event.get_absolute_url())
    assertContains(
        response,
        f'<li>Ada Beispiel, <a class="kern-link" href="{speaker.actor.get_absolute_url()}">'
        "Stiftung Trias (Hattingen)</a></li>",
        html=True,
    )


def test_event_without_programme_has_no_programme_section(client):
    response = client.get(f"/en{EventFactory().get_absolute_url()}")
    assertNotContains(response, "Programme")


# --- documentation --------------------------------------------------------------------------


def test_documentation_shows_results_documents_and_photos(client, documented_event, find):
    event = documented_event()
    bericht = event.documents.get(title="Bericht")
    EventDocument.objects.filter(pk=bericht.pk).update(
        file_size=2_516_582, inspection="inspected", page_count=12, is_tagged=True, has_text=True
    )
    response = client.get(event.get_absolute_url())
    assertContains(response, "<p>Die Initiative wird <strong>fortgesetzt</strong>.</p>", html=True)
    (link,) = [node for node in find(response, "a") if "Bericht" in node.text]
    assert link.attrs["href"] == f"/veranstaltungen/{event.slug}/dokumente/{bericht.pk}/bericht.pdf"
    assert "(PDF, 12 Seiten, 2,4\xa0MB, Deutsch, barrierearm: getaggt)" in link.text
    assertContains(response, "Was besprochen wurde.")
    assert len(find(response, "figure", **{"class": "gallery__item"})) == 2


def test_document_language_is_named(client, documented_event, find):
    response = client.get(f"/en{documented_event().get_absolute_url()}")
    facts = [node.text for node in with_class(find(response, "span"), "document-list__meta")]
    assert [fact.split(", ")[2] for fact in facts] == ["German", "English"]


def test_gallery_shows_thumbnails_linked_to_the_display_size_never_the_original(
    client, documented_event, find
):
    event = documented_event()
    response = client.get(event.get_absolute_url())
    content = response.content.decode()
    shown = event.photos.filter(people_consented=True) | event.photos.filter(shows_people=False)
    for photo in shown:
        assert f'src="{photo.thumbnail.url}"' in content
        assert f'href="{photo.display.url}"' in content
        assert photo.image.name not in content
    images = find(response, "img", **{"class": "photo-thumbnail"})
    assert len(images) == 2
    for image in images:
        assert image.attrs["alt"] == "Menschen im Gespräch an einem Tisch"
        assert image.attrs["loading"] == "lazy"
        # The factory's 960 × 600 photo, at the gallery width of 480 pixels.
        assert (image.attrs["width"], image.attrs["height"]) == ("480", "300")


def test_gallery_captions_carry_credit_and_licence(client, documented_event, find):
    response = client.get(f"/en{documented_event().get_absolute_url()}")
    captions = [node.text for node in find(response, "figcaption")]
    assert captions == [
        "Podium am Nachmittag © DV, Heike Mages · All rights reserved (used with permission)",
        "Gruppenbild mit Zustimmung © DV, Heike Mages · CC BY 4.0",
    ]


def test_photo_of_people_without_consent_is_not_shown(client, documented_event):
    event = documented_event()
    hidden = event.photos.get(caption="Gruppenbild ohne Zustimmung")
    response = client.get(event.get_absolute_url())
    assertNotContains(response, "Gruppenbild ohne Zustimmung")
    assertNotContains(response, hidden.thumbnail.url)
    assertNotContains(response, hidden.display.url)


def test_unpublished_documentation_is_invisible(client, documented_event, find):
    event = documented_event(documentation_published=False)
    response = client.get(f"/en{event.get_absolute_url()}")
    assert response.status_code == 200
    # The event itself is public: programme and actors show.
    assertContains(response, "Begrüßung")
    assertNotContains(response, "fortgesetzt")
    assertNotContains(response, "/dokumente/")
    assertNotContains(response, "Bericht")
    assertNotContains(response, "/media/")
    assertNotContains(response, "Documentation")
    assert not find(response, "figure")
    assert "image" not in json_ld(response)


def test_documentation_of_a_cancelled_event_is_shown(client, documented_event):
    event = documented_event(status=Event.Status.CANCELLED)
    response = client.get(event.get_absolute_url())
    assertContains(response, "/dokumente/")


def test_empty_documentation_says_so(client):
    event = EventFactory(documentation_published=True)
    response = client.get(f"/en{event.get_absolute_url()}")
    assertContains(response, "The documentation of this event has no content yet.")


# --- structured data ------------------------------------------------------------------------


def test_json_ld_describes_the_event(client, documented_event):
    event = documented_event()
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Bilanzveranstaltung"
    # Winter time in Berlin is one hour ahead of UTC.
    assert data["startDate"] == "2020-12-03T10:00:00+01:00"
    assert data["endDate"] == "2020-12-03T16:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Haus der Begegnung",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Littenstraße 10",
            "postalCode": "10179",
            "addressLocality": "Berlin",
            "addressCountry": "DE",
        },
    }
    assert data["description"] == event.summary
    assert data["url"] == absolute_url(f"/veranstaltungen/{event.slug}/")
    assert data["organizer"] == [
        {
            "@type": "Organization",
            "name": "Deutscher Verband",
            "url": absolute_url("/akteure/deutscher-verband/"),
        }
    ]
    assert len(data["image"]) == 2
    assert all(url.endswith("-1280.webp") for url in data["image"])


def test_json_ld_in_summer_time(client):
    event = EventFactory(start=datetime.datetime(2020, 7, 1, 13, 0, tzinfo=UTC))
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["startDate"] == "2020-07-01T15:00:00+02:00"


def test_json_ld_of_a_cancelled_event(client):
    event = EventFactory(status=Event.Status.CANCELLED)
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"


def test_json_ld_of_an_online_event(client):
    event = EventFactory(
        is_online=True,
        online_url="https://konferenz.example/raum",
        venue_name="",
        street="",
        postcode="",
        city="",
    )
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "https://konferenz.example/raum",
    }


def test_json_ld_of_an_event_both_in_a_room_and_online(client):
    event = EventFactory(is_online=True)
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [location["@type"] for location in data["location"]] == ["Place", "VirtualLocation"]


def test_json_ld_cannot_end_its_script_element(client):
    event = EventFactory(
        title="</script><script>alert(1)</script>",
        slug="boese",
        summary="<!-- & --> Ende",
    )
    response = client.get(event.get_absolute_url())
    content = response.content.decode()
    assert "<script>alert(1)" not in content
    data = json_ld(response)
    assert data["name"] == "</script><script>alert(1)</script>"
    assert data["description"] == "<!-- & --> Ende"


# --- the actor's page lists its events ------------------------------------------------------


def test_actor_page_lists_its_published_events_newest_first(client, find):
    actor = ActorFactory(name="Stiftung Trias")
    other = ActorFactory(name="HOWOGE")
    organised = EventFactory(
        title="Auftaktveranstaltung", start=datetime.datetime(2020, 2, 20, 10, tzinfo=BERLIN)
    )
    organised.organisers.add(actor)
    attended = EventFactory(
        title="Bilanzveranstaltung", start=datetime.datetime(2020, 12, 3, 10, tzinfo=BERLIN)
    )
    attended.participants.add(actor, other)
    both = EventFactory(
        title="Werkstattgespräch Boden", start=datetime.datetime(2020, 6, 9, 14, tzinfo=BERLIN)
    )
    both.organisers.add(actor)
    both.participants.add(actor)
    cancelled = EventFactory(
        title="Abgesagtes Treffen",
        status=Event.Status.CANCELLED,
        start=datetime.datetime(2019, 5, 5, 14, tzinfo=BERLIN),
    )
    cancelled.participants.add(actor)
    draft = EventFactory(title="Geheimer Entwurf", status=Event.Status.DRAFT)
    draft.organisers.add(actor)
    EventFactory(title="Ohne Trias").organisers.add(other)

    response = client.get(actor.get_absolute_url())

    assert [event.title for event in response.context["events"]] == [
        "Bilanzveranstaltung",
        "Werkstattgespräch Boden",
        "Auftaktveranstaltung",
        "Abgesagtes Treffen",
    ]
    entries = with_class(find(response, "li"), "event-links__item")
    assert entries[0].text.startswith("3. Dezember 2020 Bilanzveranstaltung")
    assertContains(
        response,
        f'<a class="kern-link" href="{attended.get_absolute_url()}">Bilanzveranstaltung</a>',
        html=True,
    )
    assert "Abgesagtes Treffen" in entries[-1].text
    assert with_class(find(response, "span"), "kern-badge--danger")
    assertNotContains(response, "Geheimer Entwurf")
    assertNotContains(response, "Ohne Trias")


def test_actor_without_events_has_no_event_section(client):
    actor = ActorFactory()
    EventFactory(status=Event.Status.DRAFT).organisers.add(actor)
    response = client.get(f"/en{actor.get_absolute_url()}")
    assert response.context["events"] == []
    assertNotContains(response, 'id="events-title"')
