"""What every sitemap of the portal shares; the apps' sitemaps build on it.

Each app lists its own public pages in ``<app>/sitemaps.py``; the URL conf composes them into
the sitemap index at /sitemap.xml, which names one section per sitemap
(/sitemap-actors.xml …), each in pages of ``PortalSitemap.limit`` entries (``?p=2`` …).
Addresses are absolute on ``settings.PORTAL_BASE_URL``, never on the Host header of the
request: a crawler that asks with another Host must not spread that host.

A page of a section costs the same however large the portal grows: its objects are fetched
with LIMIT and OFFSET (only the columns the sitemap writes), each object's address is built
from one reversed address per language, and the XML is rendered by a template with little
per entry. The index reads each section's size and last change in one aggregate query. Both
are kept per content version (``cached_for_content``): never stale, and cheap on repeat even
without the page cache.
"""

import datetime
import re

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from .content_version import cached_for_content
from .links import portal_domain, portal_protocol

# What Django's slug converter accepts; such a slug stands in an address as it is.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDER = "sitemap-slug-placeholder"


def w3c_date(value) -> str:
    """A lastmod as the sitemap protocol writes it: the day, in the portal's time zone."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


class PortalSitemap(Sitemap):
    """Both languages of every page, each naming the other and German as the default."""

    i18n = True
    languages = ["de", "en"]
    alternates = True
    x_default = True
    # <url> entries a page. Each object has one in every language, and each entry names all
    # of them (hreflang), so a page holds limit / 2 objects and four times as many addresses.
    limit = 1000
    changefreq = ""

    def get_protocol(self, protocol=None):
        return portal_protocol()

    def get_domain(self, site=None):
        return portal_domain()

    def location_in(self, item, language: str) -> str:
        with translation.override(language):
            return self.location(item)

    def page_items(self):
        """``items()`` as a page fetches them; a subclass may fetch less of each."""
        return self.items()

    @property
    def paginator(self):
        return Paginator(self.page_items(), max(1, self.limit // len(self.languages)))

    def summary(self) -> tuple[int, object]:
        """How many objects the section lists, and when the last of them changed (or None)."""
        return len(self.items()), None

    def num_pages(self, count: int) -> int:
        """How many pages ``count`` objects fill (one, empty, for none)."""
        return max(1, -(-count // self.paginator.per_page))

    def get_urls(self, page=1, site=None, protocol=None):
        """What the sitemap template shows for the objects of one page.

        As Django's own, but each object's addresses are built once, not once for every entry
        that names them. An invalid page raises the paginator's InvalidPage (the view's 404).
        No ``latest_lastmod``, so no Last-Modified header: an object unpublished or deleted
        changes the page without making anything on it newer, and a crawler asking "modified
        since?" would be told "no".
        """
        base = f"{self.get_protocol()}://{self.get_domain()}"
        has_lastmod = hasattr(self, "lastmod")
        urls = []
        for item in self.paginator.page(page).object_list:
            locations = {code: base + self.location_in(item, code) for code in self.languages}
            alternates = [{"location": loc, "lang_code": code} for code, loc in locations.items()]
            alternates.append(
                {"location": locations[settings.LANGUAGE_CODE], "lang_code": "x-default"}
            )
            lastmod = self.lastmod(item) if has_lastmod else None
            entry = {
                "item": item,
                "lastmod": w3c_date(lastmod) if lastmod is not None else "",
                "changefreq": self.changefreq,
                "alternates": alternates,
            }
            urls.extend({**entry, "location": loc} for loc in locations.values())
        return urls


class NamedPagesSitemap(PortalSitemap):
    """Pages that show no single object (home, lists, editable pages), given by URL name."""

    changefreq = "weekly"

    def __init__(self, url_names):
        self.url_names = list(url_names)

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


class PublishedSitemap(PortalSitemap):
    """The detail pages of a model's published objects, addressed by their slug.

    A subclass names the URL pattern (``url_name``, taking ``slug``) and the field that says
    when an object last changed (``lastmod_field``); ``items()`` returns the published objects
    in the order of an indexed column, so that a page is a cheap range of it.
    """

    url_name: str = ""
    lastmod_field: str = ""

    def page_items(self):
        return self.items().only("pk", "slug", self.lastmod_field)

    def summary(self) -> tuple[int, object]:
        totals = (
            self.items().order_by().aggregate(count=Count("pk"), lastmod=Max(self.lastmod_field))
        )
        return totals["count"], totals["lastmod"]

    def lastmod(self, item):
        return getattr(item, self.lastmod_field)

    def location_in(self, item, language: str) -> str:
        # reverse() for each of thousands of objects costs more than the rest of the page:
        # the address is reversed once per language, and each slug put in its place.
        templates = self.__dict__.setdefault("_address_templates", {})
        if language not in templates:
            with translation.override(language):
                templates[language] = reverse(self.url_name, kwargs={"slug": _PLACEHOLDER})
        if not _SLUG.fullmatch(item.slug):
            raise NoReverseMatch(f"{item.slug!r} is not a slug of an address.")
        return templates[language].replace(_PLACEHOLDER, item.slug)


def _cached_response(key: str, render) -> HttpResponse:
    """The response of ``render()``, kept per content version: its body and headers."""

    def compute():
        response = render()
        if isinstance(response, TemplateResponse):
            response.render()
        return response.content, dict(response.items())

    content, headers = cached_for_content(key, compute)
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


@x_robots_tag
def index(request, sitemaps, section_url_name="sitemap_section"):
    """/sitemap.xml: every page of every section, each with when its content last changed.

    Django's index view takes the host from the request; this one the portal's address. A
    section's pages share its lastmod: one aggregate query a section.
    """

    def render():
        base = f"{portal_protocol()}://{portal_domain()}"
        entries = []
        for section, site in sitemaps.items():
            site = site() if callable(site) else site
            address = base + reverse(section_url_name, kwargs={"section": section})
            count, lastmod = site.summary()
            entries.append(SitemapIndexItem(address, lastmod))
            entries.extend(
                SitemapIndexItem(f"{address}?p={page}", lastmod)
                for page in range(2, site.num_pages(count) + 1)
            )
        return TemplateResponse(
            request,
            "sitemap_index.xml",
            {"sitemaps": entries},
            content_type="application/xml",
        )

    return _cached_response("sitemap-index", render)


def section(request, sitemaps, section):
    """/sitemap-<section>.xml?p=N: Django's sitemap view, its output kept per content version."""
    page = request.GET.get("p", "1")

    def render():
        return django_sitemap(
            request, sitemaps, section=section, template_name="quartier/sitemap_section.xml"
        )

    if section not in sitemaps or not (page.isascii() and page.isdigit() and len(page) < 8):
        # Not a page (Django's view answers 404): nothing to keep under a key of its choosing.
        return render()
    return _cached_response(f"sitemap:{section}:{page.lstrip('0') or '0'}", render)
