"""The results overview and the initiative's publications: /ergebnisse/."""

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from events.models import Event
from quartier.downloads import DocumentDownloadView
from quartier.publishing import DraftPreviewMixin

from .models import Project, Publication


class ResultsView(TemplateView):
    """Everything the initiative has to show for itself, in one place.

    Published event documentation (newest first), what the projects learned, and publications
    that belong to no single event or project, such as a final report.
    """

    template_name = "projects/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["documented_events"] = list(
            Event.objects.documented().annotate(document_count=Count("documents"))
        )
        context["projects"] = list(
            Project.objects.published()
            .exclude(lessons_learned="", transferability="")
            .select_related("lead_actor")
            .order_by(F("end").desc(nulls_first=True), F("start").desc(nulls_last=True), "title")
        )
        context["publications"] = list(Publication.objects.published())
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
