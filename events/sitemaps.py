"""The events' pages in the sitemap (section "events")."""

from quartier.sitemaps import PublishedSitemap

from .models import Event


class EventSitemap(PublishedSitemap):
    url_name = "events:detail"
    lastmod_field = "updated_at"

    def items(self):
        return Event.objects.published().order_by("pk")
