"""ASGI entry point (the portal is served through WSGI; this is here for completeness)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")

application = get_asgi_application()
