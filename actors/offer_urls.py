from django.urls import path

from .feeds import OfferFeed
from .offer_views import OfferListView

app_name = "offers"

urlpatterns = [
    path("", OfferListView.as_view(), name="list"),
    path("feed/", OfferFeed(), name="feed"),
]
