"""The event list's filters, and how many events each filter value would show (facet counts)."""

import zoneinfo

import django_filters
from django.conf import settings
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from quartier.filters import FacetedFilterSet

from .models import Event, EventFormat


class EventFilter(FacetedFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Format"), field_name="kind__slug", empty_label=_("All formats")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), method="filter_year", empty_label=_("All years")
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), field_name="topics__slug", empty_label=_("All topics")
    )

    # The filters whose values are listed with counts, and what each counts by; the year is
    # the year in Berlin, like the filter's.
    FACETS = {
        "kind": "kind__slug",
        "year": ExtractYear("start", tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)),
        "topic": "topics__slug",
    }

    OFFERED = ("kind", "year", "topic")
    cache_key = "events:list"

    class Meta:
        model = Event
        fields = ["kind", "year", "topic"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Event.objects.for_list()
        super().__init__(data, queryset, **kwargs)

    def facet_choices(self):
        published = Event.objects.published()
        return {
            # Every format staff keep, in their order, also those no event has (yet).
            "kind": [(format.slug, format.display_name) for format in EventFormat.objects.all()],
            "year": [(str(year), str(year)) for year in published.years()],
            "topic": list(
                Tag.objects.filter(event__in=published)
                .distinct()
                .order_by("name")
                .values_list("slug", "name")
            ),
        }

    def filter_year(self, queryset, name, value):
        # The year in Berlin: an event on New Year's Eve at 23:30 belongs to the old year.
        return queryset.filter(start__year=int(value))

    def facet_queryset(self):
        return Event.objects.published()
