"""The Atom feed of newly published offers and needs ("Angebote und Gesuche").

One query for its entries. Entry ids are tag URIs that stay the same on every host (as the
events' feeds have them); links are absolute on PORTAL_BASE_URL, never the request's host.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from quartier.links import absolute_url

from .models import OfferOrNeed

FEED_ITEMS = 50
# RFC 4151: an authority and a date on which it owned the name, then the entry's name.
TAG_PREFIX = "tag:gemeinsam-fuer-das-quartier,2020:"


class OfferFeed(Feed):
    """Published offers and needs of published actors, the newest first."""

    feed_type = Atom1Feed
    title = _("Offers and needs – Gemeinsam für das Quartier")
    subtitle = _("What the actors of “Gemeinsam für das Quartier” offer each other and seek.")
    author_name = _("Gemeinsam für das Quartier")
    feed_guid = f"{TAG_PREFIX}offers-and-needs"

    def link(self):
        return absolute_url(reverse("offers:list"))

    def feed_url(self):
        return absolute_url(reverse("offers:feed"))

    def items(self):
        return OfferOrNeed.objects.for_listing()[:FEED_ITEMS]

    def item_link(self, entry: OfferOrNeed) -> str:
        return absolute_url(entry.get_absolute_url())

    def item_title(self, entry: OfferOrNeed) -> str:
        return f"{entry.get_direction_display()}: {entry.title}"

    def item_description(self, entry: OfferOrNeed) -> str:
        # Atom summaries are HTML: everything an actor or editor wrote is escaped.
        facts = [entry.get_kind_display()]
        if entry.topic_id:
            facts.append(entry.topic.name)
        if entry.actor.city:
            facts.append(entry.actor.city)
        return format_html(
            "<p>{}</p><p>{}</p><p>{}</p>", entry.actor.name, ", ".join(facts), entry.text
        )

    def item_guid(self, entry: OfferOrNeed) -> str:
        return f"{TAG_PREFIX}offer-or-need-{entry.pk}"

    def item_categories(self, entry: OfferOrNeed) -> list[str]:
        return [entry.get_direction_display(), entry.get_kind_display()]

    def item_pubdate(self, entry: OfferOrNeed):
        return entry.created_at

    def item_updateddate(self, entry: OfferOrNeed):
        return entry.updated_at
