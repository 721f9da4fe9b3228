from django.urls import path

from .views import ApplicationSentView, application_apply, application_confirm_view

app_name = "applications"

urlpatterns = [
    path("", application_apply, name="apply"),
    path("gesendet/", ApplicationSentView.as_view(), name="sent"),
    path("bestaetigen/<str:token>/", application_confirm_view, name="confirm"),
]
