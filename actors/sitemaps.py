"""The actors' pages in /sitemap.xml."""

from quartier.sitemaps import PortalSitemap

from .models import Actor


class ActorSitemap(PortalSitemap):
    def items(self):
        return Actor.objects.published().order_by("pk")

    def lastmod(self, actor):
        return actor.updated_at
