"""The site's own pages: home, the initiative, editable pages, image credits and search."""

from itertools import groupby
from operator import attrgetter

from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from actors.models import Actor
from events.models import Event, EventPhoto
from projects.models import ProjectPhoto
from quartier.models import Page
from quartier.search import MAX_QUERY_LENGTH

from .search import site_search


class HomeView(TemplateView):
    template_name = "quartier/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisers"] = Actor.objects.for_home_organisers()
        context["participants"] = Actor.objects.for_home_participants(limit=12)
        context["participant_count"] = Actor.objects.published().participants().count()
        context["upcoming_events"] = Event.objects.published().upcoming()[:3]
        context["documented_events"] = Event.objects.documented()[:3]
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


class ImageCreditsView(TemplateView):
    """Every image the public can see, with its credit and licence, grouped by where it appears."""

    template_name = "quartier/image_credits.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event_photos"] = _by_owner(
            EventPhoto.objects.public()
            .select_related("event")
            .order_by("-event__start", "event__pk", "position", "pk"),
            "event",
        )
        context["project_photos"] = _by_owner(
            ProjectPhoto.objects.public()
            .select_related("project")
            .order_by("project__title", "project__pk", "position", "pk"),
            "project",
        )
        context["actor_logos"] = list(
            Actor.objects.published().with_logo().order_by(Lower("name"), "pk")
        )
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
