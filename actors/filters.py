"""The directory's filters, and how many actors each filter value would show (facet counts)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.models import Tag

from quartier.filters import FacetedFilterSet, choices_in_one_query

from .models import Actor, OfferOrNeed, Sector

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


class OfferFilter(FacetedFilterSet):
    """The filters of /angebote-und-gesuche/: offer or need, kind, topic, the actor's sector and
    city, each with how many published entries it would show."""

    direction = django_filters.ChoiceFilter(
        label=_("Offer or need"),
        choices=OfferOrNeed.Direction.choices,
        empty_label=_("Offers and needs"),
    )
    kind = django_filters.ChoiceFilter(
        label=pgettext_lazy("offer or need", "Kind"),
        choices=OfferOrNeed.Kind.choices,
        empty_label=pgettext_lazy("offer or need", "All kinds"),
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), field_name="topic__slug", empty_label=_("All topics")
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), field_name="actor__sector__slug", empty_label=_("All sectors")
    )
    city = django_filters.ChoiceFilter(
        label=_("City"), field_name="actor__city", empty_label=_("All cities")
    )

    FACETS = {
        "direction": "direction",
        "kind": "kind",
        "topic": "topic__slug",
        "sector": "actor__sector__slug",
        "city": "actor__city",
    }
    TOTAL_FACET = "direction"
    OFFERED = ("topic", "sector", "city")
    cache_key = "actors:offers"

    class Meta:
        model = OfferOrNeed
        fields = ["direction", "kind", "topic", "sector", "city"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = OfferOrNeed.objects.for_listing()
        super().__init__(data, queryset, **kwargs)

    def facet_choices(self):
        published = OfferOrNeed.objects.published()
        return {
            "sector": [(sector.slug, sector.display_name) for sector in Sector.objects.all()],
            **choices_in_one_query(
                topic=(Tag.objects.filter(offers_and_needs__in=published), "slug", "name"),
                city=(published, "actor__city", "actor__city"),
            ),
        }

    def facet_queryset(self):
        return OfferOrNeed.objects.published()
