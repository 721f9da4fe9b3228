"""The results overview and the initiative's publications: /ergebnisse/."""

from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from events.models import Event, EventDocument
from quartier.downloads import DocumentDownloadView
from quartier.pagination import PartsOverviewMixin
from quartier.publishing import DraftPreviewMixin

from .models import Project, ProjectDocument, Publication

# The parameter that keeps the results to those with accessible documents (``accessible()``).
ACCESSIBLE_PARAMETER = "barrierearm"


def _documented_events(*, accessible_only: bool = False):
    # The documents counted for each event shown, not grouped over every event's documents;
    # with the filter, only its accessible documents, and only events that have one.
    documents = EventDocument.objects.filter(event=OuterRef("pk"))
    if accessible_only:
        documents = documents.accessible()
    counts = documents.order_by().values("event").annotate(total=Count("pk")).values("total")
    events = Event.objects.documented().annotate(document_count=Coalesce(Subquery(counts), 0))
    return events.filter(document_count__gt=0) if accessible_only else events


def _projects_with_results(*, accessible_only: bool = False):
    projects = (
        Project.objects.published()
        .exclude(lessons_learned="", transferability="", why_transferable="")
        .select_related("lead_actor")
        .order_by(F("end").desc(nulls_first=True), F("start").desc(nulls_last=True), "title")
    )
    if accessible_only:
        projects = projects.filter(
            Exists(ProjectDocument.objects.accessible().filter(project=OuterRef("pk")))
        )
    return projects


class ResultsView(PartsOverviewMixin, TemplateView):
    """Everything the initiative has to show for itself, in one place.

    Published event documentation (newest first), what the projects learned, and publications
    that belong to no single event or project, such as a final report. The overview shows the
    newest ``shown_on_overview`` of each part; each part is listed in full, a page at a time,
    at ``?teil=…``: no page grows with the years. ``?barrierearm=1`` keeps to what has
    accessible documents (``PublicDocumentQuerySet.accessible``).
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

    @property
    def accessible_only(self) -> bool:
        """Whether the visitor asked for entries with accessible documents only (a GET
        filter: the page keeps an address of its own)."""
        return self.request.GET.get(ACCESSIBLE_PARAMETER) == "1"

    def parts(self) -> dict:
        publications = Publication.objects.published()
        return {
            "documented_events": _documented_events(accessible_only=self.accessible_only),
            "projects": _projects_with_results(accessible_only=self.accessible_only),
            "publications": publications.accessible() if self.accessible_only else publications,
        }

    def parts_counts_key(self) -> str:
        key = super().parts_counts_key()
        return f"{key}:{ACCESSIBLE_PARAMETER}" if self.accessible_only else key

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.parts_shown(context))
        teil = self.request.GET.get("teil", "")
        context["accessible_only"] = self.accessible_only
        context["part_parameter"] = teil if teil in self.PARTS else ""
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
