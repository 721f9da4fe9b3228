from django.urls import path

app_name = "applications"

# Filled by the application views (see actors/views.py).
urlpatterns: list = []
