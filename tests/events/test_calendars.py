"""The iCalendar files, read back with the icalendar package as a calendar program would."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from quartier.links import absolute_url

from .factories import BERLIN, EventFactory, event_format

pytestmark = pytest.mark.django_db

ALL = "/veranstaltungen/kalender.ics"


def calendar_of(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(component["SUMMARY"]): component for component in calendar.walk("VEVENT")}


@pytest.fixture
def review_event():
    return EventFactory(
        title="Bilanzveranstaltung",
        slug="bilanzveranstaltung-2020",
        kind=event_format("bilanzveranstaltung"),
        start=datetime.datetime(2020, 12, 3, 10, 0, tzinfo=BERLIN),
        end=datetime.datetime(2020, 12, 3, 16, 0, tzinfo=BERLIN),
        venue_name="DV",
        street="Littenstraße 10",
        postcode="10179",
        city="Berlin",
        summary="Die Initiative zieht Bilanz und beschließt, weiterzumachen.",
    )


def test_one_event_with_berlin_times(client, review_event):
    response = client.get(f"/veranstaltungen/{review_event.slug}/kalender.ics")
    calendar = calendar_of(response)
    assert response["Content-Disposition"] == 'attachment; filename="bilanzveranstaltung-2020.ics"'
    assert calendar["VERSION"] == "2.0"
    assert "Gemeinsam für das Quartier" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Bilanzveranstaltung"

    (event,) = calendar.walk("VEVENT")
    start, end = event["DTSTART"], event["DTEND"]
    assert start.params["TZID"] == "Europe/Berlin"
    assert end.params["TZID"] == "Europe/Berlin"
    assert start.dt == datetime.datetime(2020, 12, 3, 10, 0, tzinfo=BERLIN)
    assert start.dt.utcoffset() == datetime.timedelta(hours=1)
    assert start.dt.astimezone(datetime.UTC) == datetime.datetime(
        2020, 12, 3, 9, 0, tzinfo=datetime.UTC
    )
    assert end.dt.astimezone(datetime.UTC).hour == 15
    assert b"DTSTART;TZID=Europe/Berlin:20201203T100000" in response.content


def test_summer_time_is_written_as_berlin_time(client):
    event = EventFactory(start=datetime.datetime(2020, 6, 18, 14, 0, tzinfo=BERLIN))
    calendar = calendar_of(client.get(f"/veranstaltungen/{event.slug}/kalender.ics"))
    (component,) = calendar.walk("VEVENT")
    assert component["DTSTART"].dt.astimezone(datetime.UTC).hour == 12
    assert b"DTSTART;TZID=Europe/Berlin:20200618T140000" in calendar.to_ical()


def test_the_time_zone_is_described_in_the_file(client, review_event):
    calendar = calendar_of(client.get(f"/veranstaltungen/{review_event.slug}/kalender.ics"))
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Berlin"
    # The rules in the file give the same offsets as the time zone database.
    tz = timezone.to_tz()
    for moment in (datetime.datetime(2020, 12, 3, 10), datetime.datetime(2020, 6, 18, 10)):
        assert (
            moment.replace(tzinfo=tz).utcoffset()
            == moment.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")).utcoffset()
        )
    assert calendar.get_missing_tzids() == set()


def test_what_and_where(client, review_event):
    calendar = calendar_of(client.get(f"/veranstaltungen/{review_event.slug}/kalender.ics"))
    (event,) = calendar.walk("VEVENT")
    url = absolute_url("/veranstaltungen/bilanzveranstaltung-2020/")
    assert str(event["SUMMARY"]) == "Bilanzveranstaltung"
    assert str(event["URL"]) == url
    assert str(event["DESCRIPTION"]) == (
        f"Die Initiative zieht Bilanz und beschließt, weiterzumachen.\n\n{url}"
    )
    assert str(event["LOCATION"]) == "DV, Littenstraße 10, 10179 Berlin"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTAMP"].dt == review_event.updated_at.replace(microsecond=0)


def test_an_online_event_gives_its_address_or_says_online(client):
    with_address = EventFactory(is_online=True, online_url="https://konferenz.example.org/raum")
    without = EventFactory(is_online=True, online_url="", city="")
    for event, location in (
        (with_address, "https://konferenz.example.org/raum"),
        (without, "Online"),
    ):
        calendar = calendar_of(client.get(f"/veranstaltungen/{event.slug}/kalender.ics"))
        (component,) = calendar.walk("VEVENT")
        assert str(component["LOCATION"]) == location


def test_uid_is_stable_and_unique(client, review_event):
    other = EventFactory()
    path = f"/veranstaltungen/{review_event.slug}/kalender.ics"
    first = calendar_of(client.get(path))
    second = calendar_of(client.get(path, HTTP_HOST="localhost"))
    uid = str(first.walk("VEVENT")[0]["UID"])
    assert (
        uid
        == str(second.walk("VEVENT")[0]["UID"])
        == f"event-{review_event.pk}@gemeinsam-fuer-das-quartier"
    )
    # The same event has the same UID in the calendar of all events.
    everything = calendar_of(client.get(ALL))
    uids = [str(component["UID"]) for component in everything.walk("VEVENT")]
    assert sorted(uids) == sorted([uid, f"event-{other.pk}@gemeinsam-fuer-das-quartier"])


def test_same_event_gives_the_same_file(client, review_event):
    path = f"/veranstaltungen/{review_event.slug}/kalender.ics"
    assert client.get(path).content == client.get(path).content


def test_a_cancelled_event_stays_with_its_cancellation(client):
    cancelled = EventFactory(title="Netzwerktreffen", status=Event.Status.CANCELLED)
    calendar = calendar_of(client.get(f"/veranstaltungen/{cancelled.slug}/kalender.ics"))
    (component,) = calendar.walk("VEVENT")
    assert str(component["STATUS"]) == "CANCELLED"
    assert "Netzwerktreffen" in str(component["SUMMARY"])
    english = calendar_of(client.get(f"/en/veranstaltungen/{cancelled.slug}/kalender.ics"))
    (component_en,) = english.walk("VEVENT")
    assert str(component_en["SUMMARY"]) == "Cancelled: Netzwerktreffen"
    assert str(component_en["DESCRIPTION"]).startswith("This event is cancelled.")
    (in_all,) = calendar_of(client.get(ALL)).walk("VEVENT")
    assert str(in_all["STATUS"]) == "CANCELLED"
    assert str(in_all["UID"]) == str(component["UID"])


def test_a_draft_has_no_calendar(client):
    draft = EventFactory(status=Event.Status.DRAFT)
    assert client.get(f"/veranstaltungen/{draft.slug}/kalender.ics").status_code == 404
    assert client.get("/veranstaltungen/gibt-es-nicht/kalender.ics").status_code == 404


def test_all_public_events_in_order(client, review_event):
    kick_off = EventFactory(
        title="Auftaktveranstaltung",
        start=datetime.datetime(2020, 2, 20, 10, 0, tzinfo=BERLIN),
        end=datetime.datetime(2020, 2, 20, 17, 0, tzinfo=BERLIN),
    )
    EventFactory(title="Entwurf", status=Event.Status.DRAFT)
    response = client.get(ALL)
    calendar = calendar_of(response)
    assert response["Content-Disposition"] == 'attachment; filename="veranstaltungen.ics"'
    assert [str(component["SUMMARY"]) for component in calendar.walk("VEVENT")] == [
        kick_off.title,
        review_event.title,
    ]
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert calendar["X-WR-CALNAME"]
    assert calendar["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=6)


def test_an_empty_calendar_is_still_a_calendar(client):
    calendar = calendar_of(client.get(ALL))
    assert calendar.walk("VEVENT") == []
    assert calendar["VERSION"] == "2.0"


def test_english_calendar_links_to_english_pages(client, review_event):
    calendar = calendar_of(client.get(f"/en/veranstaltungen/{review_event.slug}/kalender.ics"))
    (component,) = calendar.walk("VEVENT")
    assert str(component["URL"]) == absolute_url("/en/veranstaltungen/bilanzveranstaltung-2020/")
    assert str(component["UID"]) == f"event-{review_event.pk}@gemeinsam-fuer-das-quartier"


def test_post_is_not_allowed(client, review_event):
    assert client.post(ALL).status_code == 405


def test_one_query_for_few_and_many_events(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            calendar_of(client.get(ALL))
        return len(captured)

    EventFactory.create_batch(5)
    few = queries()
    EventFactory.create_batch(45, status=Event.Status.CANCELLED)
    assert queries() == few == 1
