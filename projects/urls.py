from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    # Before "<slug:slug>/", which "orte" would match too: that slug is kept free (Project.clean).
    path("orte/", views.ProjectPlaceListView.as_view(), name="places"),
    path("orte.json", views.ProjectPlacesJsonView.as_view(), name="places_json"),
    path("<slug:slug>/", views.ProjectDetailView.as_view(), name="detail"),
    path(
        "<slug:slug>/dokumente/<int:pk>/<str:filename>",
        views.ProjectDocumentDownloadView.as_view(),
        name="document",
    ),
]
