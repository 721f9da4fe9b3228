"""The event list's filters, and how many events each filter value would show (facet counts)."""

import django_filters
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .models import Event


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All kinds")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), method="filter_year", empty_label=_("All years")
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), field_name="topics__slug", empty_label=_("All topics")
    )

    # The filters whose values are listed with counts.
    FACETS = ("kind", "year", "topic")

    class Meta:
        model = Event
        fields = ["kind", "year", "topic"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Event.objects.for_list()
        super().__init__(data, queryset, **kwargs)
        published = Event.objects.published()
        self.filters["year"].extra["choices"] = [
            (str(year), str(year)) for year in published.years()
        ]
        self.filters["topic"].extra["choices"] = list(
            Tag.objects.filter(event__in=published)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )

    def filter_year(self, queryset, name, value):
        # The year in Berlin: an event on New Year's Eve at 23:30 belongs to the old year.
        return queryset.filter(start__year=int(value))

    def valid_choices(self) -> dict:
        """The filter values that passed validation; an invalid one leaves the others in force."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def _counts_by(self, facet: str, queryset) -> dict[str, int]:
        queryset = queryset.order_by()
        if facet == "year":
            rows = (
                queryset.annotate(
                    facet_value=ExtractYear("start", tzinfo=timezone.get_current_timezone())
                )
                .values("facet_value")
                .annotate(total=Count("pk", distinct=True))
                .values_list("facet_value", "total")
            )
        else:
            field = "topics__slug" if facet == "topic" else facet
            rows = (
                queryset.values(field)
                .annotate(total=Count("pk", distinct=True))
                .values_list(field, "total")
            )
        return {str(key): total for key, total in rows if key not in (None, "")}

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """For each facet, how many events each value would show with the other filters kept.

        One grouped query per facet, as in the actor directory.
        """
        cleaned = self.valid_choices()
        counts = {}
        for facet in self.FACETS:
            queryset = Event.objects.published()
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
