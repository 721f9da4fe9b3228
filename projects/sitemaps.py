"""The projects' and publications' pages in the sitemap (sections "projects", "publications")."""

from quartier.sitemaps import PublishedSitemap

from .models import Project, Publication


class ProjectSitemap(PublishedSitemap):
    url_name = "projects:detail"
    lastmod_field = "updated_at"

    def items(self):
        return Project.objects.published().order_by("pk")


class PublicationSitemap(PublishedSitemap):
    url_name = "results:publication"
    lastmod_field = "published_on"

    def items(self):
        return Publication.objects.published().order_by("pk")
