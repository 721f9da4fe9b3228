"""The pages of a contact person under /konto/organisation/ (mounted before /konto/ in
quartier/urls.py): their organisations, the edit form with its proposal, leaving, and the
invitation links."""

from django.urls import path

from . import contact_views, organisation_views

app_name = "organisation"

urlpatterns = [
    path("", organisation_views.organisation_list, name="list"),
    path("<slug:slug>/bearbeiten/", organisation_views.organisation_edit, name="edit"),
    path("<slug:slug>/verlassen/", organisation_views.organisation_leave, name="leave"),
    path("<slug:slug>/zurueckziehen/", organisation_views.organisation_withdraw, name="withdraw"),
    path("einladung/<str:token>/", contact_views.invitation_view, name="invitation"),
]
