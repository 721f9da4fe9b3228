from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Actors")

    def ready(self):
        from quartier.search_index import keep_current

        from .search import ActorSearch, OfferOrNeedSearch

        # The site search's index follows the rows (quartier/search_index.py).
        keep_current(ActorSearch())
        keep_current(OfferOrNeedSearch())
