"""The project list's filters, and how many projects each filter value would show (facet counts)."""

import django_filters
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from actors.models import Actor
from quartier.filters import FacetedFilterSet

from .models import Project, ProjectPartner


class _CountDistinct(Func):
    """``COUNT(DISTINCT …)`` as the value of a correlated subquery (no GROUP BY needed)."""

    template = "COUNT(DISTINCT %(expressions)s)"
    output_field = IntegerField()


class ProjectFilter(FacetedFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Project.Status.choices, empty_label=_("All statuses")
    )
    city = django_filters.ChoiceFilter(label=_("City"), empty_label=_("All cities"))
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), field_name="topics__slug", empty_label=_("All topics")
    )
    actor = django_filters.ChoiceFilter(
        label=_("Actor (lead or partner)"), method="filter_actor", empty_label=_("All actors")
    )

    # The filters whose values are listed with counts, and the field each one counts by
    # (the actor is counted apart: a project has one lead and any number of partners).
    FACETS = {"status": "status", "city": "city", "topic": "topics__slug", "actor": None}

    class Meta:
        model = Project
        fields = ["status", "city", "topic", "actor"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Project.objects.for_list()
        super().__init__(data, queryset, **kwargs)
        published = Project.objects.published()
        self.filters["city"].extra["choices"] = [
            (city, city)
            for city in published.order_by("city").values_list("city", flat=True).distinct()
        ]
        self.filters["topic"].extra["choices"] = list(
            Tag.objects.filter(project__in=published)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )
        # Published actors that lead or partner in a published project.
        self._offered_actors = Actor.objects.published().filter(
            Q(pk__in=published.values("lead_actor"))
            | Q(pk__in=ProjectPartner.objects.filter(project__in=published).values("actor"))
        )
        self.filters["actor"].extra["choices"] = list(
            self._offered_actors.order_by(Lower("name"), "pk").values_list("slug", "name")
        )

    def filter_actor(self, queryset, name, value):
        # A subquery rather than a join: a project with several partners stays one row.
        return queryset.filter(
            Q(lead_actor__slug=value)
            | Q(pk__in=ProjectPartner.objects.filter(actor__slug=value).values("project"))
        )

    def facet_queryset(self):
        return Project.objects.published()

    def facet_counts_for(self, facet: str, queryset) -> dict[str, int]:
        if facet == "actor":
            return self._actor_counts(queryset)
        return super().facet_counts_for(facet, queryset)

    def _actor_counts(self, queryset) -> dict[str, int]:
        """Per offered actor, the projects it leads or partners in: one query."""
        projects = (
            queryset.filter(Q(lead_actor=OuterRef("pk")) | Q(partnerships__actor=OuterRef("pk")))
            .order_by()
            .annotate(total=_CountDistinct(F("pk")))
            .values("total")
        )
        rows = (
            self._offered_actors.order_by()
            .annotate(total=Subquery(projects, output_field=IntegerField()))
            .values_list("slug", "total")
        )
        return {slug: total for slug, total in rows if total}
