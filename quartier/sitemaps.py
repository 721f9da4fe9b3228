"""What every sitemap of the portal shares; the apps' sitemaps build on it.

Each app lists its own public pages in ``<app>/sitemaps.py``; the URL conf composes them into
/sitemap.xml. Addresses are absolute on ``settings.PORTAL_BASE_URL``, never on the Host header
of the request: a crawler that asks with another Host must not spread that host.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .links import portal_domain, portal_protocol


class PortalSitemap(Sitemap):
    """Both languages of every page, each naming the other and German as the default."""

    i18n = True
    languages = ["de", "en"]
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return portal_protocol()

    def get_domain(self, site=None):
        return portal_domain()


class NamedPagesSitemap(PortalSitemap):
    """Pages that show no single object (home, lists, editable pages), given by URL name."""

    changefreq = "weekly"

    def __init__(self, url_names):
        self.url_names = list(url_names)

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)
