"""When an event takes place, as every page that names an event writes it.

A tag rather than an included template: it stands on every card of the event lists, and the
template's filters and translations cost more per card than the rest of the card.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import pgettext

from quartier.templatetags.portal import html_datetime

register = template.Library()


def _clock(moment) -> str:
    # German adds "Uhr".
    return pgettext("clock time", "%(time)s") % {"time": f"{moment:%H:%M}"}


@register.simple_tag
def event_when(event) -> str:
    """``3. Dezember 2020, 10:00–16:00 Uhr`` in the visitor's language and Berlin time.

    The day in ``<time datetime>``; an event over several days with both ends; only the days
    when the time is not known.
    """
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    if event.time_unknown:
        first, after = event.all_day_dates
        last = after - datetime.timedelta(days=1)
        if first == last:
            return format_html(
                '<time datetime="{}">{}</time>',
                first.isoformat(),
                date_format(first, "DATE_FORMAT"),
            )
        return format_html(
            '<time datetime="{}">{}</time> – <time datetime="{}">{}</time>',
            first.isoformat(),
            date_format(first, "DATE_FORMAT"),
            last.isoformat(),
            date_format(last, "DATE_FORMAT"),
        )
    if start.date() == end.date():
        times = pgettext("clock times of an event on one day", "%(start)s–%(end)s") % {
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }
        return format_html(
            '<time datetime="{}">{}</time>, {}',
            html_datetime(start),
            date_format(start, "DATE_FORMAT"),
            times,
        )
    return format_html(
        '<time datetime="{}">{}, {}</time> – <time datetime="{}">{}, {}</time>',
        html_datetime(start),
        date_format(start, "DATE_FORMAT"),
        _clock(start),
        html_datetime(end),
        date_format(end, "DATE_FORMAT"),
        _clock(end),
    )
