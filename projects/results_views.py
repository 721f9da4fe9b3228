"""The results overview and the initiative's publications: /ergebnisse/."""

from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, TemplateView

from events.models import Event
from quartier.downloads import serve_document

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
            Event.objects.published()
            .with_documentation()
            .annotate(document_count=Count("documents"))
            .order_by(F("documentation_published_at").desc(nulls_last=True), "-start", "pk")
        )
        context["projects"] = list(
            Project.objects.published()
            .exclude(lessons_learned="", transferability="")
            .select_related("lead_actor")
            .order_by(F("end").desc(nulls_first=True), F("start").desc(nulls_last=True), "title")
        )
        context["publications"] = list(Publication.objects.published())
        return context


class PublicationDetailView(DetailView):
    template_name = "projects/publication_detail.html"
    context_object_name = "publication"

    def get_queryset(self):
        if self.request.user.is_staff:
            # Editors may look at a draft before they publish it; the page says it is a draft.
            return Publication.objects.all()
        return Publication.objects.published()


@require_safe
def publication_download(request, slug, filename):
    """The file of a published publication; editors may fetch drafts."""
    publication = get_object_or_404(Publication, slug=slug)
    if filename != publication.download_name:
        raise Http404
    return serve_document(request, publication, is_public=publication.is_published)
