from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuartierConfig(AppConfig):
    name = "quartier"
    verbose_name = _("Portal pages")

    def ready(self):
        from quartier import content_version

        # Every change of what the public sees gives the content a new version, so that no
        # cached page or computation outlives it (quartier/content_version.py).
        content_version.connect_signals(self)
