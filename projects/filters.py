"""The project list's filters, and how many projects each filter value would show (facet counts)."""

import django_filters
from django.db.models import CharField, Count, F, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from actors.models import Actor
from quartier.filters import FacetedFilterSet, choices_in_one_query
from quartier.maps import sort_text

from .models import BudgetRange, FederalState, PlaceSize, Project, ProjectPartner


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
    state = django_filters.ChoiceFilter(
        label=_("Federal state"), field_name="federal_state", empty_label=_("All federal states")
    )
    size = django_filters.ChoiceFilter(
        label=_("Size of the place"),
        field_name="place_size",
        choices=PlaceSize.choices,
        empty_label=_("All sizes"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year of start"), field_name="start_year", empty_label=_("All years")
    )
    budget = django_filters.ChoiceFilter(
        label=_("Budget"),
        field_name="budget_range",
        choices=BudgetRange.choices,
        empty_label=_("All budgets"),
    )

    # The filters whose values are listed with counts, and the field each one counts by
    # (the actor is counted apart: a project has one lead and any number of partners).
    FACETS = {
        "status": "status",
        "city": "city",
        "topic": "topics__slug",
        "actor": None,
        "state": "federal_state",
        "size": "place_size",
        "year": "start_year",
        "budget": "budget_range",
    }
    COUNTED_TOGETHER = ("status", "city", "topic", "state", "size", "year", "budget")
    TOTAL_FACET = "status"
    # The federal states and years that published projects have: of sixteen states, few.
    OFFERED = ("city", "topic", "actor", "state", "year")
    cache_key = "projects:list"

    class Meta:
        model = Project
        fields = ["status", "city", "topic", "actor", "state", "size", "year", "budget"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Project.objects.for_list()
        super().__init__(data, queryset, **kwargs)

    def facet_choices(self):
        published = Project.objects.published()
        # Published actors that lead or partner in a published project.
        offered_actors = Actor.objects.published().filter(
            Q(pk__in=published.values("lead_actor"))
            | Q(pk__in=ProjectPartner.objects.filter(project__in=published).values("actor"))
        )
        choices = choices_in_one_query(
            city=(published, "city", "city"),
            topic=(Tag.objects.filter(project__in=published), "slug", "name"),
            actor=(offered_actors, "slug", "name"),
            year=(
                published.exclude(start_year=None),
                Cast("start_year", output_field=CharField()),
                Cast("start_year", output_field=CharField()),
            ),
            state=(published, "federal_state", "federal_state"),
        )
        # Named in the reader's language, in the order of those names.
        states = dict(FederalState.choices)
        choices["state"] = sorted(
            ((code, str(states[code])) for code, _label in choices["state"] if code in states),
            key=lambda choice: sort_text(choice[1]),
        )
        return choices

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
        """Per published actor, the projects it leads or partners in: two grouped queries.

        A partnership in a project the actor also leads is not counted twice.
        """
        queryset = queryset.order_by()
        counts = dict(
            queryset.filter(lead_actor__is_published=True)
            .values_list("lead_actor__slug")
            .annotate(total=Count("pk"))
        )
        partnerships = (
            ProjectPartner.objects.filter(
                project__in=queryset.values("pk"), actor__is_published=True
            )
            .exclude(project__lead_actor=F("actor"))
            .order_by()
            .values_list("actor__slug")
            .annotate(total=Count("project", distinct=True))
        )
        for slug, total in partnerships:
            counts[slug] = counts.get(slug, 0) + total
        return counts
