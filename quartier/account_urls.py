from django.urls import include, path

# The portal's own account pages come first; allauth's (login, sign-up, password) follow.
urlpatterns = [
    path("", include("allauth.urls")),
]
