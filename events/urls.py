from django.urls import path

from . import calendars, feeds, views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("kalender.ics", calendars.all_events_calendar, name="calendar"),
    path("feed/", feeds.EventFeed(), name="feed"),
    path("dokumentation/feed/", feeds.DocumentationFeed(), name="documentation_feed"),
    # Signed links from e-mails; before "<slug:slug>/", whose pattern would not match them anyway.
    path("anmeldung/<str:token>/bestaetigen/", views.confirm, name="registration_confirm"),
    path("anmeldung/<str:token>/abmelden/", views.cancel, name="registration_cancel"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/anmelden/", views.register, name="register"),
    path("<slug:slug>/anmelden/konto/", views.register_account, name="register_account"),
    path("<slug:slug>/anmelden/gesendet/", views.registration_sent, name="registration_sent"),
    path("<slug:slug>/kalender.ics", calendars.event_calendar, name="event_calendar"),
    path(
        "<slug:slug>/dokumente/<int:pk>/<str:filename>",
        views.EventDocumentDownloadView.as_view(),
        name="document",
    ),
]
