from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.views.generic import DetailView, TemplateView

from events.models import Event
from projects.models import Project, ProjectPartner
from quartier.maps import places_for_map

from .filters import ActorFilter
from .models import Actor


class ActorListView(TemplateView):
    """The public directory: filters with counts, text search and pages, all without JavaScript."""

    template_name = "actors/actor_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor_filter = ActorFilter(self.request.GET or None)
        page = Paginator(actor_filter.qs, settings.ACTORS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            {
                "filter": actor_filter,
                "facets": actor_filter.facets(),
                "page_obj": page,
                "actors": page.object_list,
                "is_filtered": bool(actor_filter.valid_choices()),
                # Every actor the filters leave that has a location, on all pages: one query.
                "map_places": places_for_map(
                    actors=actor_filter.qs.with_location()
                    .select_related(None)
                    .prefetch_related(None)
                    .only("name", "slug", "city", "latitude", "longitude")
                ),
            }
        )
        return context


class ActorDetailView(DetailView):
    template_name = "actors/actor_detail.html"
    context_object_name = "actor"

    def get_queryset(self):
        queryset = Actor.objects.select_related("sector", "parent").prefetch_related("topics")
        if self.request.user.is_staff:
            # Editors may look at a draft before they publish it; the page says it is a draft.
            return queryset
        return queryset.published()

    def get_object(self, queryset=None):
        actor = super().get_object(queryset)
        if actor.parent and not actor.parent.is_published and not self.request.user.is_staff:
            actor.parent = None
        return actor

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = list(
            self.object.members.published().select_related("sector", "parent")
        )
        # Events it organised or took part in, newest first: one query, whatever their number.
        context["events"] = list(
            Event.objects.published().for_actor(self.object).order_by("-start", "-pk")
        )
        # Projects it leads or works in as a partner, with its role there: two queries.
        context["projects"] = list(
            Project.objects.published()
            .for_actor(self.object)
            .prefetch_related(
                Prefetch(
                    "partnerships",
                    queryset=ProjectPartner.objects.filter(actor=self.object),
                    to_attr="roles_of_actor",
                )
            )
        )
        return context
