"""The project list's filters, and how many projects each filter value would show (facet counts)."""

import django_filters
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from actors.models import Actor

from .models import Project, ProjectPartner


class _CountDistinct(Func):
    """``COUNT(DISTINCT …)`` as the value of a correlated subquery (no GROUP BY needed)."""

    template = "COUNT(DISTINCT %(expressions)s)"
    output_field = IntegerField()


class ProjectFilter(django_filters.FilterSet):
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
            | Q(pk__in=ProjectPartner.objects.filter(project__is_published=True).values("actor"))
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

    def valid_choices(self) -> dict:
        """The filter values that passed validation; an invalid one leaves the others in force."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def _counts_by(self, facet: str, queryset) -> dict[str, int]:
        if facet == "actor":
            return self._actor_counts(queryset)
        field = self.FACETS[facet]
        rows = (
            queryset.order_by()
            .values(field)
            .annotate(total=Count("pk", distinct=True))
            .values_list(field, "total")
        )
        return {str(key): total for key, total in rows if key not in (None, "")}

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

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """For each facet, how many projects each value would show with the other filters kept.

        One grouped query per facet, as in the actor directory and the event list.
        """
        cleaned = self.valid_choices()
        counts = {}
        for facet in self.FACETS:
            queryset = Project.objects.published()
            for name, value in cleaned.items():
                if name != facet:
                    queryset = self.filters[name].filter(queryset, value)
            counts[facet] = self._counts_by(facet, queryset)
        return counts

    def facets(self) -> list[dict]:
        """The filter fields with their choices, each choice with its count and whether chosen."""
        counts = self.facet_counts()
        cleaned = self.valid_choices()
        facets = []
        for facet in self.FACETS:
            choices = [
                {
                    "value": value,
                    "label": label,
                    "count": counts[facet].get(value, 0),
                    "selected": cleaned.get(facet) == value,
                }
                for value, label in self.filters[facet].extra["choices"]
            ]
            facets.append(
                {
                    "name": facet,
                    "field": self.form[facet],
                    "label": self.filters[facet].label,
                    "empty_label": self.filters[facet].extra["empty_label"],
                    "choices": choices,
                }
            )
        return facets
