"""The results overview and the initiative's publications: /ergebnisse/."""

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from events.models import Event, EventDocument
from quartier.downloads import DocumentDownloadView
from quartier.pagination import PartsOverviewMixin
from quartier.publishing import DraftPreviewMixin

from .models import Project, Publication


def _documented_events():
    # The documents counted for each event shown, not grouped over every event's documents.
    documents = (
        EventDocument.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Event.objects.documented().annotate(document_count=Coalesce(Subquery(documents), 0))


def _projects_with_results():
    return (
        Project.objects.published()
        .exclude(lessons_learned="", transferability="", why_transferable="")
        .select_related("lead_actor")
        .order_by(F("end").desc(nulls_first=True), F("start").desc(nulls_last=True), "title")
    )


class ResultsView(PartsOverviewMixin, TemplateView):
    """Everything the initiative has to show for itself, in one place.

    Published event documentation (newest first), what the projects learned, and publications
    that belong to no single event or project, such as a final report. The overview shows the
    newest ``shown_on_overview`` of each part; each part is listed in full, a page at a time,
    at ``?teil=…``: no page grows with the years.
    """

    template_name = "projects/results.html"
    shown_on_overview = 10
    paginate_by = 20
    # The value of "teil" that lists a part alone, and the part's name in the context.
    PARTS = {
        "dokumentation": "documented_events",
        "projekte": "projects",
        "publikationen": "publications",
    }

    def parts(self) -> dict:
        return {
            "documented_events": _documented_events(),
            "projects": _projects_with_results(),
            "publications": Publication.objects.published(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.parts_shown(context))
        return context


class PublicationDetailView(DraftPreviewMixin, DetailView):
    queryset = Publication.objects.all()
    template_name = "projects/publication_detail.html"
    context_object_name = "publication"
    draft_notice = _("Draft: this publication is not published and only visible to editors.")


class PublicationDownloadView(DocumentDownloadView):
    """The file of a published publication; editors may fetch drafts."""

    queryset = Publication.objects.all()
    public_queryset = Publication.objects.published()
    lookups = {"slug": "slug"}
