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

        # Pillow's own pixel limit as a backstop for any image opened outside the upload
        # checks (quartier/uploads.py), which enforce the setting themselves.
        from django.conf import settings
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = settings.UPLOAD_IMAGE_MAX_PIXELS
