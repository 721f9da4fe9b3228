"""The pages of a contact person under /konto/organisation/ (mounted before /konto/ in
quartier/urls.py)."""

from django.urls import path

from . import contact_views

app_name = "organisation"

urlpatterns = [
    path("einladung/<str:token>/", contact_views.invitation_view, name="invitation"),
]
