"""When a project runs, as its card and its page write it.

A tag rather than an included template: it stands on every card of the project list, where
the template's filters and translations cost more than the rest of the card.
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import pgettext

from quartier.templatetags.portal import html_datetime

from ..models import Project

register = template.Library()


def _open_start(status: str) -> str:
    if status == Project.Status.PLANNED:
        return pgettext("project period", "from %(month)s")
    if status == Project.Status.COMPLETED:
        return pgettext("project period", "started %(month)s")
    return pgettext("project period", "since %(month)s")


def _time(value, precision: str, text: str) -> str:
    return format_html('<time datetime="{}">{}</time>', html_datetime(value, precision), text)


@register.simple_tag
def project_period(project) -> str:
    """``2021–2023``, ``März–Juni 2021``, ``seit März 2021``, ``ab Mai 2027``; or nothing."""
    start, end = project.start, project.end
    if start and end:
        if start.year == end.year:
            return format_html(
                "{}–{}",
                _time(start, "month", date_format(start, "F")),
                _time(end, "month", date_format(end, "F Y")),
            )
        return format_html(
            "{}–{}",
            _time(start, "year", f"{start.year:04d}"),
            _time(end, "year", f"{end.year:04d}"),
        )
    if start:
        text = _open_start(project.status) % {"month": date_format(start, "F Y")}
        return _time(start, "month", text)
    if end:
        text = pgettext("project period", "until %(month)s") % {"month": date_format(end, "F Y")}
        return _time(end, "month", text)
    return ""
