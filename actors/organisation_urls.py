"""The contacts' own pages, mounted at /konto/organisation/ (quartier/urls.py)."""

from django.urls import path

from . import organisation_views

app_name = "organisation"

urlpatterns = [
    path("", organisation_views.organisation_list, name="list"),
    path("<slug:slug>/bearbeiten/", organisation_views.organisation_edit, name="edit"),
    path("<slug:slug>/verlassen/", organisation_views.organisation_leave, name="leave"),
    path("<slug:slug>/zurueckziehen/", organisation_views.organisation_withdraw, name="withdraw"),
]
