"""The public list of offers and needs, /angebote-und-gesuche/ (the actor page's part of them
is in actors/offers.py)."""

from django.urls import reverse
from django.views.generic import TemplateView

from quartier.pagination import ListPaginator

from .filters import OfferFilter

OFFERS_PER_PAGE = 24


class OfferListView(TemplateView):
    """Offers and needs with filters and their counts, and pages, all without JavaScript."""

    template_name = "actors/offer_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offer_filter = OfferFilter(self.request.GET or None)
        # The count is known from the facets (or cached): the paginator need not count again.
        page = ListPaginator(
            offer_filter.qs, OFFERS_PER_PAGE, count=offer_filter.result_count()
        ).get_page(self.request.GET.get("page"))
        context.update(
            {
                "filter": offer_filter,
                "facets": offer_filter.facets(),
                "page_obj": page,
                "entries": page.object_list,
                "is_filtered": bool(offer_filter.valid_choices()),
                "feed_url": reverse("offers:feed"),
            }
        )
        return context
