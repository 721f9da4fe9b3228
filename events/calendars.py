"""The events as iCalendar files (RFC 5545): one per event and one to subscribe to.

Times are written in Europe/Berlin with the matching VTIMEZONE, so that calendar programs show
them right wherever their user is. Each event keeps its UID for good, whatever host serves it:
a subscriber's calendar updates the entry instead of adding a second one. Cancelled events stay
in the files with STATUS:CANCELLED, so that the cancellation reaches subscribers.
"""

import datetime
import zoneinfo

import icalendar
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from quartier.links import absolute_url

from .models import Event

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
PRODID = "-//Gemeinsam für das Quartier//Veranstaltungen//DE"
# The right-hand side of every UID: the same on every host and in every language.
UID_DOMAIN = "gemeinsam-fuer-das-quartier"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# How often a subscribed calendar should look for changes.
REFRESH_INTERVAL = datetime.timedelta(hours=6)


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def _location(event: Event) -> str:
    if event.is_online:
        return event.online_url or gettext("Online")
    return ", ".join(event.address_lines)


def _vevent(event: Event) -> icalendar.Event:
    url = absolute_url(event.get_absolute_url())
    summary, description = event.title, f"{event.summary}\n\n{url}"
    if event.is_cancelled:
        # Many calendar programs do not show STATUS; title and description say it as well.
        summary = gettext("Cancelled: %(title)s") % {"title": event.title}
        description = f"{gettext('This event is cancelled.')}\n\n{description}"
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    # The last change, not the time of the request: the same event gives the same file.
    component.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
    component.add("created", event.created_at.astimezone(datetime.UTC))
    component.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    if event.time_unknown:
        # Only the day is known: an all-day entry (DTSTART;VALUE=DATE), not a made-up time.
        first, after = event.all_day_dates
        component.add("dtstart", first)
        component.add("dtend", after)
    else:
        component.add("dtstart", event.start.astimezone(BERLIN))
        component.add("dtend", event.end.astimezone(BERLIN))
    component.add("summary", summary)
    component.add("description", description)
    if location := _location(event):
        component.add("location", location)
    component.add("url", url)
    component.add("categories", [event.kind.display_name])
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("transp", "TRANSPARENT" if event.is_cancelled else "OPAQUE")
    return component


def _calendar(events: list[Event], *, name: str) -> icalendar.Calendar:
    """The events as a calendar, with links on settings.PORTAL_BASE_URL (never on the host a
    request named), to the pages in the active language."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    for event in events:
        calendar.add_component(_vevent(event))
    if events:
        # The rules of Europe/Berlin for the years the events span (not 1970 to 2038).
        first = min(event.start for event in events).astimezone(BERLIN)
        last = max(event.end for event in events).astimezone(BERLIN)
        calendar.add_missing_timezones(
            first_date=datetime.date(first.year - 1, 1, 1),
            last_date=datetime.date(last.year + 2, 1, 1),
        )
    return calendar


def event_ics(event: Event) -> bytes:
    """One event's .ics file without a request, e.g. to attach to an e-mail."""
    return _calendar([event], name=event.title).to_ical()


def _response(calendar: icalendar.Calendar, *, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def all_events_calendar(request: HttpRequest) -> HttpResponse:
    """Every public event, past and future, to subscribe to. One query."""
    events = list(Event.objects.shown().order_by("start", "pk"))
    calendar = _calendar(events, name=gettext("Gemeinsam für das Quartier: events"))
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    return _response(calendar, filename="veranstaltungen.ics")


@require_safe
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """One public (published or cancelled) event; drafts are not found."""
    event = get_object_or_404(Event.objects.shown(), slug=slug)
    calendar = _calendar([event], name=event.title)
    return _response(calendar, filename=f"{event.slug}.ics")
