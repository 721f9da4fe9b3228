"""The demo's real events against the public record: a copy of the record's table
(public_record.md, from the project's domain notes) is read here and every row compared with
what `load_demo` made. Every dated row is loaded once, with its date, format and place; no real
event (one not marked "Beispiel:") is missing from the record; what the record does not say
stays empty."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from events import demo
from events.models import Event, EventFormat
from events.public_record import RECORD, RecordRow

pytestmark = pytest.mark.django_db

MARKDOWN = Path(__file__).with_name("public_record.md")
MONTHS = {
    month: number
    for number, month in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
# The people the record names; only they may be speakers of a real event.
NAMED_PEOPLE = {
    "Christian Huttenloher",
    "Prof. Reiner Schmidt",
    "Michael Groschek",
    "Stephan Willinger",
}


def markdown_rows() -> list[RecordRow]:
    """The rows of the record's table as the markdown copy writes them."""
    rows = []
    for line in MARKDOWN.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or len(cells) != 5 or cells[0] in ("date", "---"):
            continue
        rows.append(RecordRow(*cells))
    return rows


def days(row: RecordRow) -> list[datetime.date]:
    """The days of a row: "24 Feb 2025 and 27 Feb 2025" are two; "2021" alone is none."""
    return [
        datetime.date(int(year), MONTHS[month], int(day))
        for day, month, year in re.findall(r"(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})", row.date)
    ]


def places(row: RecordRow) -> list[str]:
    """The place of each day: a row of two days names both, separated by a semicolon."""
    parts = [part.strip() for part in row.place.split(";")]
    return parts if len(parts) == len(days(row)) else [row.place] * len(days(row))


def expected_format(row: RecordRow) -> str:
    """The format the record's word for it means: the initiative's own word where it uses one,
    a session at a congress, or else the general format."""
    text = row.format.lower()
    for word, slug in (
        ("auftakt", "auftaktveranstaltung"),
        ("kick-off", "auftaktveranstaltung"),
        ("arbeitskonferenz", "arbeitskonferenz"),
        ("perspektivenwerkstatt", "perspektivenwerkstatt"),
        ("praxiswerkstatt", "praxiswerkstatt"),
        ("netzwerktreffen", "netzwerktreffen"),
        ("bilanz", "bilanzveranstaltung"),
        ("abschluss", "bilanzveranstaltung"),
        ("congress", "kongress-session"),
    ):
        if word in text:
            return slug
    return "fachveranstaltung"


def words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"\w+", text)}


def recorded_event(day: datetime.date) -> Event:
    (event,) = [
        event
        for event in Event.objects.exclude(title__startswith="Beispiel: ")
        if timezone.localtime(event.start).date() == day
    ]
    return event


def test_the_demos_record_is_the_record_word_for_word():
    assert list(RECORD) == markdown_rows()
    assert len(RECORD) == 15


def test_every_day_of_the_record_is_one_published_event_of_its_format(demo_db):
    dated = [
        (row, day, place)
        for row in markdown_rows()
        for day, place in zip(days(row), places(row), strict=True)
    ]
    assert len(dated) == 15  # the series of 2021 is no event; the closing is two
    for row, day, _place in dated:
        event = recorded_event(day)
        assert event.status == Event.Status.PUBLISHED, row
        assert event.kind.slug == expected_format(row), row
        assert event.organisers.filter(short_name="DV").exists()


def test_the_place_is_the_records_and_nothing_more(demo_db):
    for row in markdown_rows():
        for day, place in zip(days(row), places(row), strict=True):
            event = recorded_event(day)
            online = place in ("online", "video conference")
            unknown = place == "not known"
            assert event.is_online == online, row
            assert event.place_unknown == unknown, row
            assert event.online_url == "", row
            assert event.postcode == "", row  # the record names none
            if online or unknown:
                assert event.address_lines == [], row
                continue
            assert event.city and event.city in place, row
            assert event.street in place, row
            # The venue's name comes from the record's words (translated where they are
            # English): a name of its own is in it, and no number the record does not have.
            if event.venue_name:
                assert {word for word in words(event.venue_name) if len(word) > 4} & words(place), (
                    row
                )
                assert set(re.findall(r"\d+", event.venue_name)) <= set(re.findall(r"\d+", place))


def test_the_time_is_the_records_or_not_known(demo_db):
    for row in markdown_rows():
        times = re.search(r"(\d{1,2}):(\d{2})–(\d{1,2}):(\d{2})", row.subject)
        for day in days(row):
            event = recorded_event(day)
            start, end = timezone.localtime(event.start), timezone.localtime(event.end)
            if times:
                hour, minute, end_hour, end_minute = map(int, times.groups())
                assert not event.time_unknown, row
                assert (start.date(), start.time()) == (day, datetime.time(hour, minute))
                assert (end.date(), end.time()) == (day, datetime.time(end_hour, end_minute))
            else:
                assert event.time_unknown, row
                assert event.all_day_dates == (day, day + datetime.timedelta(days=1))
            assert not event.programme_items.exclude(starts_at=None).exists(), row


def test_no_real_event_is_missing_from_the_record(demo_db):
    recorded_days = {day for row in markdown_rows() for day in days(row)}
    real = Event.objects.exclude(title__startswith="Beispiel: ")
    assert real.count() == len(recorded_days) == len(demo.RECORDED)
    for event in real:
        assert timezone.localtime(event.start).date() in recorded_days, event.title


def test_what_the_record_does_not_have_stays_empty(demo_db):
    for event in Event.objects.exclude(title__startswith="Beispiel: "):
        assert not event.documents.exists(), event.title
        assert not event.photos.exists(), event.title
        assert not event.registration_enabled and not event.registrations.exists()
        speakers = {s.name for item in event.programme_items.all() for s in item.speakers.all()}
        assert speakers <= NAMED_PEOPLE, event.title
        assert "@" not in f"{event.summary} {event.description} {event.results}"
        assert "Beispiel" not in f"{event.summary} {event.description} {event.results}"


def test_the_formats_are_the_initiatives_and_staff_may_add_more(demo_db):
    assert list(EventFormat.objects.values_list("name", flat=True)[:7]) == [
        "Auftaktveranstaltung",
        "Arbeitskonferenz / Netzwerkkonferenz",
        "Werkstattgespräch",
        "Perspektivenwerkstatt",
        "Praxiswerkstatt",
        "Netzwerktreffen",
        "Bilanz- und Abschlussveranstaltung",
    ]
    # Being online is no format.
    assert not EventFormat.objects.filter(slug__contains="online").exists()
