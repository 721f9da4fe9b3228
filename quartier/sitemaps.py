"""/sitemap.xml: every public page in German and English, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from actors.models import Actor
from events.models import Event
from projects.models import Project, Publication


class PortalSitemap(Sitemap):
    """Both languages of every page, each naming the other and German as the default."""

    i18n = True
    languages = ["de", "en"]
    alternates = True
    x_default = True


class StaticPagesSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "initiative",
            "actors:list",
            "events:list",
            "projects:list",
            "results:overview",
            "pages:kontakt",
            "pages:impressum",
            "pages:datenschutz",
        ]

    def location(self, item):
        return reverse(item)


class ActorSitemap(PortalSitemap):
    def items(self):
        return Actor.objects.published().order_by("pk")

    def lastmod(self, actor):
        return actor.updated_at


class EventSitemap(PortalSitemap):
    def items(self):
        return Event.objects.published().order_by("pk")

    def lastmod(self, event):
        return event.updated_at


class ProjectSitemap(PortalSitemap):
    def items(self):
        return Project.objects.published().order_by("pk")

    def lastmod(self, project):
        return project.updated_at


class PublicationSitemap(PortalSitemap):
    def items(self):
        return Publication.objects.published().order_by("pk")

    def lastmod(self, publication):
        return publication.published_on


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "actors": ActorSitemap,
    "events": EventSitemap,
    "projects": ProjectSitemap,
    "publications": PublicationSitemap,
}
