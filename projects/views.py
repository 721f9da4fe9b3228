from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from actors.models import Actor
from quartier.downloads import DocumentDownloadView
from quartier.maps import places_for_map
from quartier.publishing import DraftPreviewMixin

from .filters import ProjectFilter
from .models import Project, ProjectDocument

# What a map place needs of a project or an actor; nothing else is loaded for the map.
_MAP_FIELDS = ("title", "slug", "city", "latitude", "longitude")
_ACTOR_MAP_FIELDS = ("name", "slug", "city", "latitude", "longitude")


def _by_name(tag) -> str:
    return tag.name.lower()


class ProjectListView(TemplateView):
    """Published projects with filters and their counts, and the map of the places; no JS needed."""

    template_name = "projects/project_list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project_filter = ProjectFilter(self.request.GET or None)
        projects = project_filter.qs
        page = Paginator(projects, self.paginate_by).get_page(self.request.GET.get("page"))
        # The map shows every project that matches, not only this page's, and the actors.
        map_projects = (
            projects.with_location().select_related(None).prefetch_related(None).only(*_MAP_FIELDS)
        )
        map_actors = Actor.objects.published().with_location().only(*_ACTOR_MAP_FIELDS)
        context.update(
            {
                "filter": project_filter,
                "facets": project_filter.facets(),
                "page_obj": page,
                "projects": page.object_list,
                "is_filtered": bool(project_filter.valid_choices()),
                "map_places": places_for_map(projects=map_projects, actors=map_actors),
            }
        )
        return context


class ProjectDetailView(DraftPreviewMixin, DetailView):
    queryset = Project.objects.for_detail()
    template_name = "projects/project_detail.html"
    context_object_name = "project"
    draft_notice = _("Draft: this project is not published and only visible to editors.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        lead = project.lead_actor
        photos = list(project.photos.all())
        context.update(
            {
                "lead": lead if lead is not None and lead.is_published else None,
                "partnerships": list(project.partnerships.all()),
                "topics": sorted(project.topics.all(), key=_by_name),
                "approaches": sorted(project.approaches.all(), key=_by_name),
                "related_events": list(project.related_events.all()),
                "documents": list(project.documents.all()),
                "photos": photos,
            }
        )
        return context


class ProjectDocumentDownloadView(DocumentDownloadView):
    """One document of a published project; editors may fetch those of drafts too."""

    queryset = ProjectDocument.objects.all()
    public_queryset = ProjectDocument.objects.public()
    lookups = {"slug": "project__slug", "pk": "pk"}
