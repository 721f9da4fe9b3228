from itertools import groupby
from operator import attrgetter

from django.db.models import F
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from actors.models import Actor
from events.models import Event, EventPhoto

from .models import Page


class HomeView(TemplateView):
    template_name = "quartier/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisers"] = Actor.objects.for_home_organisers()
        context["participants"] = Actor.objects.for_home_participants(limit=12)
        context["participant_count"] = Actor.objects.published().participants().count()
        events = Event.objects.published()
        context["upcoming_events"] = events.upcoming()[:3]
        context["documented_events"] = events.with_documentation().order_by(
            F("documentation_published_at").desc(nulls_last=True), "-start"
        )[:3]
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


class ImageCreditsView(TemplateView):
    """Every image the public can see, with its credit and licence, grouped by where it appears."""

    template_name = "quartier/image_credits.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        photos = (
            EventPhoto.objects.of_public_documentation()
            .select_related("event")
            .order_by("-event__start", "event__pk", "position", "pk")
        )
        context["event_photos"] = [
            {"event": event, "photos": list(group)}
            for event, group in groupby(photos, key=attrgetter("event"))
        ]
        context["actor_logos"] = list(
            Actor.objects.published().exclude(logo="").order_by(Lower("name"), "pk")
        )
        return context
