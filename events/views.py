import json
from itertools import groupby

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, TemplateView

from projects.models import Project
from quartier.downloads import serve_document

from .filters import EventFilter
from .models import Event, EventDocument

# What json.dumps may leave in a string that would end a <script> element or confuse an HTML
# parser; the same escapes as Django's json_script filter.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script_content(data: dict) -> str:
    """``data`` as JSON that is safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - every character that could end the element is escaped


def group_by_year(events) -> list[dict]:
    """``[{"year": 2020, "events": [...]}, ...]`` in the order given, by the year in Berlin."""
    return [
        {"year": year, "events": list(group)}
        for year, group in groupby(events, key=lambda event: timezone.localtime(event.start).year)
    ]


class EventListView(TemplateView):
    """Upcoming events, soonest first; then the archive by year, newest first; with filters."""

    template_name = "events/event_list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event_filter = EventFilter(self.request.GET or None)
        now = timezone.now()
        events = event_filter.qs
        archive = Paginator(events.past(now), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        # Upcoming events head the first page; further pages continue the archive only.
        upcoming = list(events.upcoming(now)) if archive.number == 1 else []
        context.update(
            {
                "filter": event_filter,
                "facets": event_filter.facets(),
                "upcoming": upcoming,
                "page_obj": archive,
                "archive_years": group_by_year(archive.object_list),
                "is_filtered": bool(event_filter.valid_choices()),
            }
        )
        return context


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        queryset = Event.objects.for_detail()
        if self.request.user.is_staff:
            # Editors may look at a draft before they publish it; the page says it is a draft.
            return queryset
        return queryset.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        organisers = list(event.organisers.all())
        documentation = event.documentation_published
        photos = list(event.photos.all()) if documentation else []
        context.update(
            {
                "organisers": organisers,
                "participants": list(event.participants.all()),
                "topics": list(event.topics.all()),
                "programme": list(event.programme_items.all()),
                "documents": list(event.documents.all()) if documentation else [],
                "photos": photos,
                # Published projects this event belongs to: one query.
                "related_projects": list(Project.objects.published().for_event(event)),
                "json_ld": json_ld_script_content(
                    self.structured_data(event, organisers=organisers, photos=photos)
                ),
            }
        )
        return context

    def structured_data(self, event: Event, *, organisers, photos) -> dict:
        """schema.org ``Event`` for search engines and calendars."""
        build_url = self.request.build_absolute_uri
        place = None
        if event.city or event.street or event.venue_name:
            place = {
                "@type": "Place",
                "name": event.venue_name or event.city,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": event.street,
                    "postalCode": event.postcode,
                    "addressLocality": event.city,
                    "addressCountry": "DE",
                },
            }
        virtual = None
        if event.is_online:
            virtual = {"@type": "VirtualLocation"}
            if event.online_url:
                virtual["url"] = event.online_url
        if place and virtual:
            mode, location = "MixedEventAttendanceMode", [place, virtual]
        elif virtual:
            mode, location = "OnlineEventAttendanceMode", virtual
        else:
            mode, location = "OfflineEventAttendanceMode", place
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "startDate": timezone.localtime(event.start).isoformat(),
            "endDate": timezone.localtime(event.end).isoformat(),
            "eventStatus": "https://schema.org/"
            + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
            "eventAttendanceMode": f"https://schema.org/{mode}",
            "description": event.summary,
            "url": build_url(event.get_absolute_url()),
            "inLanguage": "de",
        }
        if location:
            data["location"] = location
        if organisers:
            data["organizer"] = [
                {
                    "@type": "Organization",
                    "name": actor.name,
                    "url": build_url(actor.get_absolute_url()),
                }
                for actor in organisers
            ]
        if photos:
            data["image"] = [build_url(photo.display.url) for photo in photos[:3]]
        return data


@require_safe
def document_download(request, slug, pk, filename):
    """One document of an event's published documentation; editors may fetch any."""
    document = get_object_or_404(
        EventDocument.objects.select_related("event"), pk=pk, event__slug=slug
    )
    if filename != document.download_name:
        raise Http404
    return serve_document(request, document, is_public=document.event.has_public_documentation)
