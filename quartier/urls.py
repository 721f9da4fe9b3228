import re

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView, TemplateView
from django.views.static import serve as static_serve

from actors.sitemaps import ActorSitemap
from events.sitemaps import EventSitemap
from projects.sitemaps import ProjectSitemap, PublicationSitemap

from . import health
from . import sitemaps as sitemap_views
from .models import Page
from .site.dashboard import with_dashboard
from .site.views import HomeView, ImageCreditsView, InitiativeView, PageView, SearchView
from .sitemaps import NamedPagesSitemap

admin.site.site_header = _("Gemeinsam für das Quartier – editing")
admin.site.site_title = _("Gemeinsam für das Quartier")
admin.site.index_title = _("Maintain the portal")
# Staff sign in through the portal's login (allauth: its rate limits, e-mail verification and
# second factor); the admin's own form sends them there and logs nobody in.
admin.site.login = secure_admin_login(admin.site.login)
# The start page shows first what needs the staff's attention (quartier/site/dashboard.py).
admin.site.index = with_dashboard(admin.site.index)

page_patterns = (
    [path(f"{slug}/", PageView.as_view(slug=slug), name=slug) for slug in Page.Slug.values],
    "pages",
)

# Each app lists its own pages; the pages that show no single object are named here.
sitemaps = {
    "pages": NamedPagesSitemap(
        [
            "home",
            "initiative",
            "actors:list",
            "actors:network",
            "offers:list",
            "events:list",
            "projects:list",
            "results:overview",
            *(f"pages:{slug}" for slug in Page.Slug.values),
        ]
    ),
    "actors": ActorSitemap,
    "events": EventSitemap,
    "projects": ProjectSitemap,
    "publications": PublicationSitemap,
}

urlpatterns = [
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg", permanent=True),
    ),
    # One sitemap index and one robots.txt for both languages, at the addresses crawlers look
    # for; the index names the sections' pages.
    path("sitemap.xml", sitemap_views.index, {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.section,
        {"sitemaps": sitemaps},
        name="sitemap_section",
    ),
    # For the load balancer and the monitoring (quartier/health.py); one address, no language.
    path("healthz", health.healthz, name="healthz"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
]

# German without a prefix ("/akteure/"), English under "/en/" ("/en/akteure/").
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("initiative/", InitiativeView.as_view(), name="initiative"),
    path("akteure/", include("actors.urls")),
    path("veranstaltungen/", include("events.urls")),
    path("projekte/", include("projects.urls")),
    path("ergebnisse/", include("projects.results_urls")),
    path("mitmachen/", include("actors.application_urls")),
    path("angebote-und-gesuche/", include("actors.offer_urls")),
    # Before "konto/": allauth's patterns there would not take these addresses, but the order
    # says which app owns them.
    path("konto/organisation/", include("actors.organisation_urls")),
    path("konto/", include("quartier.accounts.urls")),
    path("suche/", SearchView.as_view(), name="search"),
    path("bildnachweise/", ImageCreditsView.as_view(), name="image_credits"),
    path("", include(page_patterns)),
    path(settings.ADMIN_URL, admin.site.urls),
    prefix_default_language=False,
)


def media_serve(request, path):
    """Uploaded images in development (production: the web server, README). The folder is
    read at each request, not when this module is imported, so that a changed MEDIA_ROOT
    (tests, override_settings) is the one served."""
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.DEBUG:
    urlpatterns += [
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", media_serve)
    ]

# Error pages that render even when the host, the request's body or the database failed.
handler400 = "quartier.errors.bad_request"
handler403 = "quartier.errors.permission_denied"
handler404 = "quartier.errors.page_not_found"
handler500 = "quartier.errors.server_error"
# Not Django's: allauth answers its rate limits with the handler429 of the root URLconf.
handler429 = "quartier.errors.too_many_requests"
