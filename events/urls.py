from django.urls import path

from . import calendars, feeds, views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("kalender.ics", calendars.all_events_calendar, name="calendar"),
    path("feed/", feeds.EventFeed(), name="feed"),
    path("dokumentation/feed/", feeds.DocumentationFeed(), name="documentation_feed"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/kalender.ics", calendars.event_calendar, name="event_calendar"),
    path(
        "<slug:slug>/dokumente/<int:pk>/<str:filename>",
        views.document_download,
        name="document",
    ),
]
