from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from quartier.search_index import keep_current

        from .search import EventDocumentSearch, EventSearch

        # The site search's index follows the rows (quartier/search_index.py).
        keep_current(EventSearch(), EventDocumentSearch())
