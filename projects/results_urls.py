"""The results overview and the initiative's publications: /ergebnisse/."""

from django.urls import path

from . import results_views

app_name = "results"

urlpatterns = [
    path("", results_views.ResultsView.as_view(), name="overview"),
    path("<slug:slug>/", results_views.PublicationDetailView.as_view(), name="publication"),
    path(
        "<slug:slug>/<str:filename>",
        results_views.PublicationDownloadView.as_view(),
        name="publication_file",
    ),
]
