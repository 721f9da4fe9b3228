from django.urls import path

from .views import ActorDetailView, ActorListView

app_name = "actors"

urlpatterns = [
    path("", ActorListView.as_view(), name="list"),
    path("<slug:slug>/", ActorDetailView.as_view(), name="detail"),
]
