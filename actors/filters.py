"""The directory's filters, and how many actors each filter value would show (facet counts)."""

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .models import Actor, Sector

SEARCH_MAX_LENGTH = 200


class ActorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text", max_length=SEARCH_MAX_LENGTH
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), field_name="sector__slug", empty_label=_("All sectors")
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Actor.Role.choices, empty_label=_("All roles")
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), field_name="topics__slug", empty_label=_("All topics")
    )
    city = django_filters.ChoiceFilter(label=_("City"), empty_label=_("All cities"))

    # The filters whose values are listed with counts, and the field each one counts by.
    FACETS = {"sector": "sector__slug", "role": "role", "topic": "topics__slug", "city": "city"}

    class Meta:
        model = Actor
        fields = ["q", "sector", "role", "topic", "city"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Actor.objects.for_directory()
        super().__init__(data, queryset, **kwargs)
        published = Actor.objects.published()
        self.filters["sector"].extra["choices"] = [
            (sector.slug, sector.display_name) for sector in Sector.objects.all()
        ]
        self.filters["topic"].extra["choices"] = list(
            Tag.objects.filter(actor__in=published)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )
        self.filters["city"].extra["choices"] = [
            (city, city)
            for city in published.exclude(city="")
            .order_by("city")
            .values_list("city", flat=True)
            .distinct()
        ]

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(short_name__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset

    def valid_choices(self) -> dict:
        """The filter values that passed validation; an invalid one leaves the others in force."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """For each facet, how many actors each value would show with the other filters kept.

        One grouped query per facet; the count of a value therefore says what a visitor gets
        when they pick it, without changing the other filters they already chose.
        """
        cleaned = self.valid_choices()
        counts = {}
        for facet, field in self.FACETS.items():
            queryset = Actor.objects.published()
            for name, value in cleaned.items():
                if name != facet:
                    queryset = self.filters[name].filter(queryset, value)
            rows = (
                queryset.order_by()
                .values(field)
                .annotate(total=Count("pk", distinct=True))
                .values_list(field, "total")
            )
            counts[facet] = {key: total for key, total in rows if key not in (None, "")}
        return counts

    def facets(self) -> list[dict]:
        """The filter fields with their choices, each choice with its count and whether chosen."""
        counts = self.facet_counts()
        cleaned = self.valid_choices()
        facets = []
        for facet in self.FACETS:
            field = self.form[facet]
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
                    "field": field,
                    "label": self.filters[facet].label,
                    "empty_label": self.filters[facet].extra["empty_label"],
                    "choices": choices,
                }
            )
        return facets
