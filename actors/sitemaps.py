"""The actors' pages in the sitemap (section "actors")."""

from quartier.sitemaps import PublishedSitemap

from .models import Actor


class ActorSitemap(PublishedSitemap):
    url_name = "actors:detail"
    lastmod_field = "updated_at"

    def items(self):
        return Actor.objects.published().order_by("pk")
