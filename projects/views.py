from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from actors.models import Actor
from quartier.content_version import cached_for_content
from quartier.downloads import DocumentDownloadView
from quartier.maps import (
    Place,
    PlaceListView,
    PlacesJsonView,
    place_sort_key,
    places_for_map,
    with_query,
)
from quartier.pagination import ListPaginator
from quartier.publishing import DraftPreviewMixin

from .filters import ProjectFilter
from .models import Project, ProjectDocument


def _by_name(tag) -> str:
    return tag.name.lower()


def _actor_places() -> list[Place]:
    # The same for every list of projects: every published actor with a location.
    return cached_for_content(
        "projects:places:actors", lambda: places_for_map(actors=Actor.objects.published().for_map())
    )


def project_places(project_filter: ProjectFilter) -> list[Place]:
    """The map's places: the projects the filters leave, and the actors, by city."""

    def places():
        projects = places_for_map(projects=project_filter.qs.for_map())
        return sorted([*projects, *_actor_places()], key=place_sort_key)

    return project_filter.cached("places", places)


def project_place_count(project_filter: ProjectFilter) -> int:
    actors = cached_for_content(
        "projects:places:actor-count", Actor.objects.published().for_map().count
    )
    return actors + project_filter.cached("places:count", project_filter.qs.for_map().count)


class ProjectListView(TemplateView):
    """Published projects with filters and their counts, and the map of the places; no JS needed."""

    template_name = "projects/project_list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project_filter = ProjectFilter(self.request.GET or None)
        # The count is known from the facets (or cached): the paginator need not count again.
        page = ListPaginator(
            project_filter.qs, self.paginate_by, count=project_filter.result_count()
        ).get_page(self.request.GET.get("page"))
        query = project_filter.query_string()
        context.update(
            {
                "filter": project_filter,
                "facets": project_filter.facets(),
                "page_obj": page,
                "projects": page.object_list,
                "is_filtered": bool(project_filter.valid_choices()),
                # The map shows every project that matches, not only this page's, and the
                # actors: counted here, listed on a page of their own, and loaded by the map
                # only when the visitor asks for it.
                "place_count": project_place_count(project_filter),
                "places_url": with_query(reverse("projects:places_json"), query),
                "places_list_url": with_query(reverse("projects:places"), query),
            }
        )
        return context


class _ListPlaces:
    """The places of the projects that the list's filters, sent along, leave, and the actors."""

    def get_places(self):
        return project_places(ProjectFilter(self.request.GET or None))

    def query(self) -> str:
        return ProjectFilter(self.request.GET or None).query_string()


class ProjectPlacesJsonView(_ListPlaces, PlacesJsonView):
    pass


class ProjectPlaceListView(_ListPlaces, PlaceListView):
    title = _("Places of the projects and actors")
    list_label = _("Projects")

    def get_list_url(self):
        return with_query(reverse("projects:list"), self.query())

    def get_places_url(self):
        return with_query(reverse("projects:places_json"), self.query())


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
