"""Atom feeds: the events, and the documentation as it is published.

Entry ids are tag URIs that stay the same on every host, so that a feed reader does not show an
entry twice when the portal moves. Each feed is one query for its entries (the documentation
feed one more for the documents it lists).
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Count, Prefetch, Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from quartier.links import absolute_url

from .calendars import UID_DOMAIN
from .models import Event, EventDocument, EventPhoto

FEED_ITEMS = 50
# RFC 4151: an authority and a date on which it owned the name, then the entry's name.
TAG_PREFIX = f"tag:{UID_DOMAIN},2020:"


def _when_and_where(event: Event) -> str:
    if event.is_online:
        place = gettext("Online")
    else:
        place = ", ".join(event.address_lines)
    when = _when(event)
    return f"{when}, {place}" if place else when


def _clock(moment) -> str:
    # The same translation as the pages' "clock time": German adds "Uhr".
    return pgettext("clock time", "%(time)s") % {"time": f"{moment:%H:%M}"}


def _when(event: Event) -> str:
    """As on the event pages (event_tags.event_when): "3. Dezember 2020, 10:00–16:00 Uhr"."""
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    if event.time_unknown:
        first, after = event.all_day_dates
        last = after - datetime.timedelta(days=1)
        if first == last:
            return date_format(first, "DATE_FORMAT")
        return f"{date_format(first, 'DATE_FORMAT')} – {date_format(last, 'DATE_FORMAT')}"
    if start.date() == end.date():
        times = pgettext("clock times of an event on one day", "%(start)s–%(end)s") % {
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }
        return f"{date_format(start, 'DATE_FORMAT')}, {times}"
    return (
        f"{date_format(start, 'DATE_FORMAT')}, {_clock(start)} – "
        f"{date_format(end, 'DATE_FORMAT')}, {_clock(end)}"
    )


class EventFeed(Feed):
    """Public events, the latest first; cancelled ones stay in with a notice."""

    feed_type = Atom1Feed
    title = _("Events – Gemeinsam für das Quartier")
    subtitle = _("Events and workshop talks of the initiative “Gemeinsam für das Quartier”.")
    author_name = _("Gemeinsam für das Quartier")
    feed_guid = f"{TAG_PREFIX}events"

    # Absolute addresses on PORTAL_BASE_URL: given a path, the syndication framework would
    # take the host from the request.
    def link(self):
        return absolute_url(reverse("events:list"))

    def feed_url(self):
        return absolute_url(reverse("events:feed"))

    def item_link(self, event: Event) -> str:
        return absolute_url(event.get_absolute_url())

    def items(self):
        return Event.objects.shown().order_by("-start", "-pk")[:FEED_ITEMS]

    def item_title(self, event: Event) -> str:
        if event.is_cancelled:
            return gettext("Cancelled: %(title)s") % {"title": event.title}
        return event.title

    def item_description(self, event: Event) -> str:
        # Atom summaries are HTML: everything an editor wrote is escaped.
        notice = ""
        if event.is_cancelled:
            notice = format_html("<p><strong>{}</strong></p>", gettext("This event is cancelled."))
        return format_html("{}<p>{}</p><p>{}</p>", notice, _when_and_where(event), event.summary)

    def item_guid(self, event: Event) -> str:
        return f"{TAG_PREFIX}event-{event.pk}"

    def item_categories(self, event: Event) -> list[str]:
        return [event.kind.display_name]

    def item_pubdate(self, event: Event):
        return event.created_at

    def item_updateddate(self, event: Event):
        return event.updated_at


class DocumentationFeed(EventFeed):
    """Events whose documentation is published, the most recently published first."""

    title = _("Event documentation – Gemeinsam für das Quartier")
    subtitle = _("Newly published documentation of events: results, documents and photos.")
    feed_guid = f"{TAG_PREFIX}documentation"

    def feed_url(self):
        return absolute_url(reverse("events:documentation_feed"))

    def items(self):
        return (
            Event.objects.documented()
            .annotate(
                public_photo_count=Count(
                    "photos", filter=Q(photos__in=EventPhoto.objects.showable()), distinct=True
                )
            )
            .prefetch_related(
                Prefetch("documents", queryset=EventDocument.objects.order_by("position", "pk"))
            )[:FEED_ITEMS]
        )

    def item_title(self, event: Event) -> str:
        return gettext("Documentation: %(title)s") % {"title": event.title}

    def item_description(self, event: Event) -> str:
        documents = list(event.documents.all())
        contents = []
        if event.results.strip():
            contents.append(gettext("the results"))
        if documents:
            contents.append(
                ngettext("%(count)d document", "%(count)d documents", len(documents))
                % {"count": len(documents)}
            )
        if event.public_photo_count:
            contents.append(
                ngettext("%(count)d photo", "%(count)d photos", event.public_photo_count)
                % {"count": event.public_photo_count}
            )
        if contents:
            sentence = gettext("The documentation contains %(contents)s.") % {
                "contents": _join(contents)
            }
        else:
            sentence = gettext("The documentation is published.")
        document_list = ""
        if documents:
            document_list = format_html(
                "<ul>{}</ul>",
                format_html_join(
                    "",
                    "<li>{} ({}, {})</li>",
                    (
                        (document.title, document.type_label, filesizeformat(document.file_size))
                        for document in documents
                    ),
                ),
            )
        return format_html(
            "<p>{}</p><p>{}</p>{}<p>{}</p>",
            _when_and_where(event),
            sentence,
            document_list,
            event.summary,
        )

    def item_guid(self, event: Event) -> str:
        return f"{TAG_PREFIX}documentation-{event.pk}"

    def item_pubdate(self, event: Event):
        return event.documentation_published_at or event.updated_at


def _join(parts: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"`` in the current language."""
    if len(parts) == 1:
        return parts[0]
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}
