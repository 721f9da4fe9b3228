"""Event formats as data staff keep, and events whose time or place the sources do not give:
the list's filter, the event page, the feed, the calendars and the admin."""

import datetime

import feedparser
import icalendar
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.formats import date_format

from events.models import Event, EventFormat
from events.services import registration_create
from tests.factories import UserFactory

from .factories import BERLIN, EventFactory, EventFormatFactory, event_format

pytestmark = pytest.mark.django_db

LIST = "/veranstaltungen/"


def shown(response) -> set[str]:
    return {event.title for event in response.context["page_obj"].object_list} | {
        event.title for event in response.context["upcoming"]
    }


def unknown_time_and_place(**fields) -> Event:
    """As the demo loads a row of the record that gives neither time nor place."""
    return EventFactory(
        **{
            "title": "Bilanzveranstaltung",
            "slug": "bilanzveranstaltung-2020",
            "kind": event_format("bilanzveranstaltung"),
            "start": datetime.datetime(2020, 12, 3, 0, 0, tzinfo=BERLIN),
            "end": datetime.datetime(2020, 12, 4, 0, 0, tzinfo=BERLIN),
            "time_unknown": True,
            "place_unknown": True,
            "venue_name": "",
            "street": "",
            "postcode": "",
            "city": "",
            **fields,
        }
    )


def test_the_list_filters_by_the_initiatives_formats(client, options):
    EventFactory(title="Praxiswerkstatt Aachen", kind=event_format("praxiswerkstatt"))
    EventFactory(title="Praxiswerkstatt Berlin", kind=event_format("praxiswerkstatt"))
    EventFactory(title="Netzwerktreffen", kind=event_format("netzwerktreffen"))
    response = client.get(LIST, {"kind": "praxiswerkstatt"})
    assert shown(response) == {"Praxiswerkstatt Aachen", "Praxiswerkstatt Berlin"}
    assert "Praxiswerkstatt (2)" in options(response, "kind")
    assert "Netzwerktreffen (1)" in options(response, "kind")
    # A format that is no longer (or never was) one is reported, the list left unfiltered.
    response = client.get(LIST, {"kind": "online"})
    assert response.context["filter"].form.errors["kind"]


def test_a_format_staff_add_is_offered_and_shown_in_both_languages(client, options):
    festival = EventFormatFactory(name="Quartiersfest", name_en="Neighbourhood party", slug="fest")
    EventFactory(title="Sommerfest", kind=festival)
    assert "Quartiersfest (1)" in options(client.get(LIST), "kind")
    english = client.get(f"/en{LIST}", {"kind": "fest"})
    assert shown(english) == {"Sommerfest"}
    assert "Neighbourhood party (1)" in options(english, "kind")
    page = client.get("/en/veranstaltungen/sommerfest/")
    assert '<p class="kern-preline">Neighbourhood party</p>' in page.content.decode()
    # Without an English name, the German one is shown.
    festival.name_en = ""
    festival.save()
    page = client.get("/en/veranstaltungen/sommerfest/")
    assert '<p class="kern-preline">Quartiersfest</p>' in page.content.decode()


def test_a_formats_name_is_escaped_everywhere_it_is_shown(client):
    odd = EventFormatFactory(name='<script>alert("x")</script> & Co', slug="odd")
    event = EventFactory(title="Treffen", kind=odd)
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"
    for url in (LIST, event.get_absolute_url(), "/suche/?q=Treffen"):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content, url
        assert escaped in content or escaped.replace("&quot;", "&#x27;") in content, url
    feed = feedparser.parse(client.get("/veranstaltungen/feed/").content)
    assert feed.bozo == 0
    assert feed.entries[0].tags[0].term == '<script>alert("x")</script> & Co'


def test_staff_of_the_redaktion_add_a_format_in_the_admin(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(editor)
    assert client.get("/admin/events/eventformat/").status_code == 200
    response = client.post(
        "/admin/events/eventformat/add/",
        {"name": "Stadtlabor", "name_en": "Urban lab", "slug": "stadtlabor", "position": "95"},
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    added = EventFormat.objects.get(slug="stadtlabor")
    assert (added.name, added.name_en, added.position) == ("Stadtlabor", "Urban lab", 95)
    # The event form offers it, and the list lists it last, by its position.
    assert "Stadtlabor" in client.get("/admin/events/event/add/").content.decode()
    assert list(EventFormat.objects.values_list("slug", flat=True))[-1] == "stadtlabor"


def test_a_format_in_use_cannot_be_deleted(admin_client):
    used = event_format("praxiswerkstatt")
    EventFactory(kind=used)
    response = admin_client.post(f"/admin/events/eventformat/{used.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200  # the page that says why not
    assert EventFormat.objects.filter(pk=used.pk).exists()


def test_the_page_shows_the_day_and_says_the_place_is_not_known(client, find):
    event = unknown_time_and_place()
    content = client.get(f"/en{event.get_absolute_url()}").content.decode()
    assert '<time datetime="2020-12-03">Dec. 3, 2020</time>' in content
    assert "00:00" not in content
    assert '<p class="kern-body event__place-unknown">Not known</p>' in content
    assert '"startDate": "2020-12-03"' in content and '"endDate": "2020-12-03"' in content
    german = client.get("/veranstaltungen/bilanzveranstaltung-2020/").content.decode()
    assert "Nicht bekannt" in german
    card = client.get(LIST).content.decode()
    assert '<time datetime="2020-12-03">3. Dezember 2020</time>' in card
    assert "<div><dt>Ort</dt><dd>Nicht bekannt</dd></div>" in card
    assert "00:00" not in card


def test_a_known_place_is_no_unknown_one(client):
    event = unknown_time_and_place()
    event.city = "Berlin"
    event.save()
    content = client.get(event.get_absolute_url()).content.decode()
    assert "event__place-unknown" not in content


def test_the_calendar_has_an_all_day_entry_when_the_time_is_not_known(client):
    event = unknown_time_and_place()
    response = client.get(f"{event.get_absolute_url()}kalender.ics")
    (component,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert component["DTSTART"].dt == datetime.date(2020, 12, 3)
    assert component["DTEND"].dt == datetime.date(2020, 12, 4)
    assert b"DTSTART;VALUE=DATE:20201203" in response.content
    assert "LOCATION" not in component
    assert [str(category) for category in component["CATEGORIES"].cats] == [
        "Bilanz- und Abschlussveranstaltung"
    ]
    # In the calendar to subscribe to as well, next to an event with its times.
    EventFactory(title="Mit Uhrzeit", start=datetime.datetime(2020, 12, 10, 14, tzinfo=BERLIN))
    response = client.get("/veranstaltungen/kalender.ics")
    assert b"DTSTART;VALUE=DATE:20201203" in response.content
    assert b"DTSTART;TZID=Europe/Berlin:20201210T140000" in response.content


def test_the_feed_gives_the_day_alone_when_the_time_is_not_known(client):
    unknown_time_and_place()
    feed = feedparser.parse(client.get("/veranstaltungen/feed/").content)
    (entry,) = feed.entries
    assert "<p>3. Dezember 2020</p>" in entry.summary
    assert entry.tags[0].term == "Bilanz- und Abschlussveranstaltung"


def test_an_unknown_time_over_several_days_shows_both_days(client):
    event = unknown_time_and_place(
        title="Zwei Tage",
        slug="zwei-tage",
        end=datetime.datetime(2020, 12, 5, 0, 0, tzinfo=BERLIN),
    )
    assert event.all_day_dates == (datetime.date(2020, 12, 3), datetime.date(2020, 12, 5))
    content = client.get(event.get_absolute_url()).content.decode()
    assert (
        '<time datetime="2020-12-03">3. Dezember 2020</time> – '
        '<time datetime="2020-12-04">4. Dezember 2020</time>'
    ) in content


def test_publishing_needs_a_city_unless_online_or_the_place_is_not_known():
    draft = unknown_time_and_place(status=Event.Status.DRAFT)
    draft.place_unknown = False
    draft.save()
    assert Event.objects.filter(pk=draft.pk).publish() == 0
    draft.place_unknown = True
    draft.save()
    assert Event.objects.filter(pk=draft.pk).publish() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_maps_the_former_kinds_to_formats():
    executor = MigrationExecutor(connection)
    before, after = (
        [("events", "0010_document_accessibility")],
        [("events", "0011_event_formats")],
    )
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    OldEvent = apps.get_model("events", "Event")
    start = timezone.now()
    for kind in ("werkstattgespraech", "fachveranstaltung", "bilanzveranstaltung", "online"):
        OldEvent.objects.create(
            title=kind,
            slug=kind,
            kind=kind,
            start=start,
            end=start + datetime.timedelta(hours=2),
            summary="…",
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    NewEvent = apps.get_model("events", "Event")
    mapped = {event.title: (event.kind.slug, event.is_online) for event in NewEvent.objects.all()}
    assert mapped == {
        "werkstattgespraech": ("werkstattgespraech", False),
        "fachveranstaltung": ("fachveranstaltung", False),
        "bilanzveranstaltung": ("bilanzveranstaltung", False),
        # Online was a kind and is none: the event is online, of the general format.
        "online": ("fachveranstaltung", True),
    }
    assert apps.get_model("events", "EventFormat").objects.count() == 9
    # Back and forth again, as a deployment that is rolled back would.
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    assert sorted(apps.get_model("events", "Event").objects.values_list("kind", flat=True)) == [
        "bilanzveranstaltung",
        "fachveranstaltung",
        "fachveranstaltung",
        "werkstattgespraech",
    ]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_registration_mail_gives_the_day_alone_when_the_time_is_not_known():
    day = (timezone.localtime() + datetime.timedelta(days=30)).date()
    event = unknown_time_and_place(
        start=datetime.datetime.combine(day, datetime.time(), tzinfo=BERLIN),
        end=datetime.datetime.combine(
            day + datetime.timedelta(days=1), datetime.time(), tzinfo=BERLIN
        ),
        place_unknown=False,
        city="Berlin",
        registration_enabled=True,
    )
    registration_create(event=event, name="Anna", email="anna@example.org")
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert date_format(day, "DATE_FORMAT") in text
        assert "00:00" not in text
