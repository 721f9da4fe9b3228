"""The site's own pages: home, the initiative, editable pages, image credits and search."""

from itertools import groupby
from operator import attrgetter

from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from actors.models import Actor
from events.models import Event, EventPhoto
from projects.models import ProjectPhoto
from quartier.content_version import cached_for_content
from quartier.models import Page
from quartier.pagination import PartsOverviewMixin
from quartier.search import MAX_QUERY_LENGTH

from .search import site_search

# Upcoming events the home page keeps in the cache: enough that some remain when the first end.
UPCOMING_KEPT = 12
UPCOMING_SHOWN = 3


def _home_content() -> dict:
    """What the home page shows that changes only with the content: one set for every visitor."""
    return {
        "organisers": Actor.objects.for_home_organisers(),
        "participants": list(Actor.objects.for_home_participants(limit=12)),
        "participant_count": Actor.objects.published().participants().count(),
        "documented_events": list(Event.objects.documented()[:3]),
        # Changes with the time as well: the events that have not ended yet are chosen from
        # these on each request (see upcoming_events).
        "upcoming_candidates": list(Event.objects.shown().upcoming()[:UPCOMING_KEPT]),
    }


def upcoming_events(candidates: list, now) -> list:
    """The first upcoming events as ``Event.objects.published().upcoming(now)`` gives them.

    ``candidates`` are the first upcoming events of an earlier moment. Time alone only takes
    events away (those that ended), so the ones still running among them, if there are enough,
    are the first now; otherwise the database is asked.
    """
    remaining = [event for event in candidates if event.end >= now]
    if len(remaining) >= UPCOMING_SHOWN or len(candidates) < UPCOMING_KEPT:
        return remaining[:UPCOMING_SHOWN]
    return list(Event.objects.shown().upcoming(now)[:UPCOMING_SHOWN])


class HomeView(TemplateView):
    """The start page: the same for every visitor until the content changes, so it is computed
    once per content version (``cached_for_content``) rather than on every request."""

    template_name = "quartier/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        content = cached_for_content("home", _home_content)
        context.update(
            {
                "organisers": content["organisers"],
                "participants": content["participants"],
                "participant_count": content["participant_count"],
                "upcoming_events": upcoming_events(content["upcoming_candidates"], timezone.now()),
                "documented_events": content["documented_events"],
            }
        )
        return context


class InitiativeView(TemplateView):
    template_name = "quartier/initiative.html"


class PageView(TemplateView):
    """One of the staff-editable pages; which one is fixed by the URL pattern."""

    template_name = "quartier/page.html"
    slug: str = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = get_object_or_404(Page, slug=self.slug)
        return context


def _by_owner(photos, owner: str) -> list[dict]:
    """``[{"owner": event, "photos": [...]}, ...]`` from photos ordered by what they belong to."""
    return [
        {"owner": obj, "photos": list(group)}
        for obj, group in groupby(photos, key=attrgetter(owner))
    ]


class ImageCreditsView(PartsOverviewMixin, TemplateView):
    """Every image the public can see, with its credit and licence, grouped by where it appears.

    The page shows the first ``shown_on_overview`` images of each part (photos of events,
    photos of projects, logos); each part is listed in full, a page at a time, at ``?teil=…``:
    the page does not grow with the archive.
    """

    template_name = "quartier/image_credits.html"
    shown_on_overview = 48
    paginate_by = 96
    # The value of "teil" that lists a part alone, and the part's name in the context.
    PARTS = {
        "veranstaltungen": "event_photos",
        "projekte": "project_photos",
        "logos": "actor_logos",
    }

    def parts(self) -> dict:
        return {
            "event_photos": EventPhoto.objects.public()
            .select_related("event")
            .order_by("-event__start", "event__pk", "position", "pk"),
            "project_photos": ProjectPhoto.objects.public()
            .select_related("project")
            .order_by("project__title", "project__pk", "position", "pk"),
            "actor_logos": Actor.objects.published().with_logo().order_by(Lower("name"), "pk"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = self.parts_shown(context)
        context["event_photos"] = _by_owner(shown.get("event_photos", []), "event")
        context["project_photos"] = _by_owner(shown.get("project_photos", []), "project")
        context["actor_logos"] = shown.get("actor_logos", [])
        return context


class SearchView(TemplateView):
    """/suche/?q=: actors, events, projects and documents that match, grouped by kind."""

    template_name = "quartier/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        outcome = site_search(self.request.GET.get("q", ""))
        context.update(
            {
                "search": outcome,
                "query": outcome.query,
                "max_query_length": MAX_QUERY_LENGTH,
            }
        )
        return context
