"""What of the actors the site search finds, and how it shows them."""

from django.db.models.functions import Lower

from quartier.search import SearchField, SearchKind, markdown_text_later

from .models import Actor, OfferOrNeed


class ActorSearch(SearchKind):
    kind = "actor"
    fields = [
        SearchField("name", "A"),
        SearchField("short_name", "A"),
        SearchField("city", "B"),
        SearchField("description", "C"),
        SearchField("mission", "C"),
    ]
    ordering = [Lower("name"), "pk"]

    def queryset(self):
        return Actor.objects.searchable()

    def title(self, actor):
        return actor.display_name

    def snippet_texts(self, actor):
        return [markdown_text_later(actor.description), actor.mission, actor.city]


class OfferOrNeedSearch(SearchKind):
    """Offers and needs ("Angebote und Gesuche"): a hit links to the entry on its actor's page."""

    kind = "offer_or_need"
    fields = [SearchField("title", "A"), SearchField("text", "B")]
    ordering = ["-created_at", "pk"]

    def queryset(self):
        return OfferOrNeed.objects.searchable()

    def title(self, entry):
        return entry.title

    def snippet_texts(self, entry):
        return [entry.text]
