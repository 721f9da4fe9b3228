from django.urls import include, path

from . import views

# The portal's own account pages come first; allauth's (login, sign-up, password) follow.
# Their names start with "account_" like allauth's, so that the header marks them all.
urlpatterns = [
    path("", views.account_overview, name="account_overview"),
    path("daten/", views.account_data_export, name="account_data_export"),
    path("loeschen/", views.account_delete, name="account_delete"),
    path("", include("allauth.urls")),
]
