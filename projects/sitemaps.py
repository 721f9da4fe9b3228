"""The projects' and publications' pages in /sitemap.xml."""

from quartier.sitemaps import PortalSitemap

from .models import Project, Publication


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
