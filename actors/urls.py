from django.urls import path

from .network_views import NetworkView
from .views import ActorDetailView, ActorListView, ActorPlaceListView, ActorPlacesJsonView

app_name = "actors"

urlpatterns = [
    path("", ActorListView.as_view(), name="list"),
    # Before "<slug:slug>/", which "orte" would match too: these slugs are kept free (Actor.clean).
    path("orte/", ActorPlaceListView.as_view(), name="places"),
    path("orte.json", ActorPlacesJsonView.as_view(), name="places_json"),
    path("netzwerk/", NetworkView.as_view(), name="network"),
    path("<slug:slug>/", ActorDetailView.as_view(), name="detail"),
]
