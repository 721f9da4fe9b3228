"""When an event takes place, as the cards, the event page and the registration pages write it."""

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.utils import translation

from events.models import Event

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def when(start, end, language="de") -> str:
    event = Event(start=start, end=end)
    template = engines["django"].from_string("{% load event_tags %}{% event_when event %}")
    with translation.override(language):
        return template.render({"event": event})


DE_ONE_DAY = '<time datetime="2020-12-03T10:00:00+01:00">3. Dezember 2020</time>, 10:00–16:00 Uhr'
EN_ONE_DAY = '<time datetime="2020-12-03T10:00:00+01:00">Dec. 3, 2020</time>, 10:00–16:00'


@pytest.mark.parametrize(("language", "expected"), [("de", DE_ONE_DAY), ("en", EN_ONE_DAY)])
def test_an_event_on_one_day(language, expected):
    start = datetime.datetime(2020, 12, 3, 10, tzinfo=BERLIN)
    assert when(start, start.replace(hour=16), language) == expected


def test_an_event_over_several_days_names_both_ends_in_berlin_time():
    # 23:30 UTC is already the next day in Berlin.
    start = datetime.datetime(2021, 6, 1, 23, 30, tzinfo=datetime.UTC)
    end = datetime.datetime(2021, 6, 3, 12, tzinfo=BERLIN)
    assert when(start, end) == (
        '<time datetime="2021-06-02T01:30:00+02:00">2. Juni 2021, 01:30 Uhr</time> – '
        '<time datetime="2021-06-03T12:00:00+02:00">3. Juni 2021, 12:00 Uhr</time>'
    )
