"""The directory's filters, and how many actors each filter value would show (facet counts)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from quartier.filters import FacetedFilterSet, choices_in_one_query

from .models import Actor, Sector

SEARCH_MAX_LENGTH = 200


class ActorFilter(FacetedFilterSet):
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

    TOTAL_FACET = "role"
    OFFERED = ("sector", "topic", "city")
    cache_key = "actors:directory"

    class Meta:
        model = Actor
        fields = ["q", "sector", "role", "topic", "city"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Actor.objects.for_directory()
        super().__init__(data, queryset, **kwargs)

    def facet_choices(self):
        published = Actor.objects.published()
        return {
            "sector": [(sector.slug, sector.display_name) for sector in Sector.objects.all()],
            **choices_in_one_query(
                topic=(Tag.objects.filter(actor__in=published), "slug", "name"),
                city=(published, "city", "city"),
            ),
        }

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(short_name__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset

    def facet_queryset(self):
        return Actor.objects.published()
