from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from .models import Page
from .views import HomeView, ImageCreditsView, InitiativeView, PageView

admin.site.site_header = _("Gemeinsam für das Quartier – editing")
admin.site.site_title = _("Gemeinsam für das Quartier")
admin.site.index_title = _("Maintain the portal")

page_patterns = (
    [path(f"{slug}/", PageView.as_view(slug=slug), name=slug) for slug in Page.Slug.values],
    "pages",
)

urlpatterns = [
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg", permanent=True),
    ),
]

# German without a prefix ("/akteure/"), English under "/en/" ("/en/akteure/").
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("initiative/", InitiativeView.as_view(), name="initiative"),
    path("akteure/", include("actors.urls")),
    path("veranstaltungen/", include("events.urls")),
    path("bildnachweise/", ImageCreditsView.as_view(), name="image_credits"),
    path("", include(page_patterns)),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
