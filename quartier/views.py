from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from actors.models import Actor

from .models import Page


class HomeView(TemplateView):
    template_name = "quartier/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisers"] = Actor.objects.for_home_organisers()
        context["participants"] = Actor.objects.for_home_participants(limit=12)
        context["participant_count"] = Actor.objects.published().participants().count()
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
    template_name = "quartier/image_credits.html"
