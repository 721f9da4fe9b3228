"""Filters with facet counts: every choice says how many results it would give.

The directories of actors, events and projects share this: a GET form that works without
JavaScript, an invalid value that is reported while the other filters stay in force, and counts
computed with one grouped query per facet, keeping the visitor's other choices.
"""

import django_filters
from django.db.models import Count


class FacetedFilterSet(django_filters.FilterSet):
    # The filters whose values are listed with counts, and what each counts by: a field path
    # (e.g. "topics__slug") or an expression; see facet_counts_for() for anything else.
    FACETS: dict = {}

    def facet_queryset(self):
        """Everything the public may see, before any filter: what the counts start from."""
        raise NotImplementedError

    def valid_choices(self) -> dict:
        """The filter values that passed validation; an invalid one leaves the others in force."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def facet_counts_for(self, facet: str, queryset) -> dict[str, int]:
        """How many results each value of ``facet`` has in ``queryset``: one grouped query."""
        counted = self.FACETS[facet]
        queryset = queryset.order_by()
        if not isinstance(counted, str):
            queryset = queryset.annotate(facet_value=counted)
            counted = "facet_value"
        rows = (
            queryset.values(counted)
            .annotate(total=Count("pk", distinct=True))
            .values_list(counted, "total")
        )
        return {str(key): total for key, total in rows if key not in (None, "")}

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """For each facet, the counts of its values with the other chosen filters applied."""
        chosen = self.valid_choices()
        counts = {}
        for facet in self.FACETS:
            queryset = self.facet_queryset()
            for name, value in chosen.items():
                if name != facet:
                    queryset = self.filters[name].filter(queryset, value)
            counts[facet] = self.facet_counts_for(facet, queryset)
        return counts

    def facets(self) -> list[dict]:
        """The facet fields with their choices, each with its count and whether it is chosen."""
        counts = self.facet_counts()
        chosen = self.valid_choices()
        return [
            {
                "name": facet,
                "field": self.form[facet],
                "label": self.filters[facet].label,
                "empty_label": self.filters[facet].extra["empty_label"],
                "choices": [
                    {
                        "value": value,
                        "label": label,
                        "count": counts[facet].get(str(value), 0),
                        "selected": chosen.get(facet) == value,
                    }
                    for value, label in self.filters[facet].extra["choices"]
                ],
            }
            for facet in self.FACETS
        ]
