"""The events' pages in /sitemap.xml."""

from quartier.sitemaps import PortalSitemap

from .models import Event


class EventSitemap(PortalSitemap):
    def items(self):
        return Event.objects.published().order_by("pk")

    def lastmod(self, event):
        return event.updated_at
