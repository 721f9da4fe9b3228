"""The security headers of every kind of response the portal gives, as a browser receives them.

Pages, error pages, feeds, calendars, documents, static files (served by whitenoise before
most of the middleware), sitemaps, robots.txt, JSON and the admin: each says where it may be
embedded and what it may load. Public pages allow no inline script or style at all; the
admin, on its own paths only, inline styles.
"""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from quartier.site.views import HomeView
from tests.actors.factories import ActorFactory
from tests.events.factories import EventDocumentFactory, EventFactory
from tests.quartier.test_settings import start

pytestmark = pytest.mark.django_db

TILE_URL = "https://tile.example.test/{z}/{x}/{y}.png"
STRICT_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(directive.split(" ", 1) for directive in policy.split("; "))


def fetch(client, path, **extra):
    response = client.get(path, **extra)
    if getattr(response, "streaming", False):
        # Read to the end, which closes the file (the test client's wrapper calls close()).
        b"".join(response.streaming_content)
    return response


def assert_common_headers(response):
    """What every response carries, whatever its kind."""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


def assert_strict_policy(response):
    assert directives(response) == STRICT_DIRECTIVES


@pytest.fixture
def event():
    return EventFactory(title="Quartiersfest", documentation_published=True)


@pytest.fixture
def document(event):
    return EventDocumentFactory(event=event, title="Bericht")


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/", 200, "text/html"),
        ("/en/", 200, "text/html"),
        ("/akteure/", 200, "text/html"),
        ("/en/veranstaltungen/", 200, "text/html"),
        ("/gibt-es-nicht/", 404, "text/html"),
        ("/en/gibt-es-nicht/", 404, "text/html"),
        ("/veranstaltungen/feed/", 200, "application/atom+xml"),
        ("/veranstaltungen/kalender.ics", 200, "text/calendar"),
        ("/sitemap.xml", 200, "application/xml"),
        ("/robots.txt", 200, "text/plain"),
        ("/akteure/orte.json", 200, "application/json"),
    ],
)
def test_every_kind_of_response_carries_the_headers(client, event, path, status, content_type):
    response = fetch(client, path)
    assert response.status_code == status
    assert response["Content-Type"].startswith(content_type)
    assert_common_headers(response)
    assert_strict_policy(response)


def test_an_event_page_and_its_calendar(client, event):
    for path in (event.get_absolute_url(), reverse("events:event_calendar", args=[event.slug])):
        response = fetch(client, path)
        assert response.status_code == 200, path
        assert_common_headers(response)
        assert_strict_policy(response)


def test_a_server_error_page(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(HomeView, "get", fail)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Etwas ist schiefgelaufen" in response.content.decode()
    assert_common_headers(response)
    assert_strict_policy(response)


def test_a_form_sent_without_its_csrf_token():
    response = Client(enforce_csrf_checks=True).post(
        "/konto/login/", {"login": "a@example.com", "password": "x"}
    )
    assert response.status_code == 403
    assert_common_headers(response)
    assert_strict_policy(response)


def test_a_document_runs_in_a_sandbox(client, document):
    url = reverse(
        "events:document",
        kwargs={"slug": document.event.slug, "pk": document.pk, "filename": document.download_name},
    )
    response = fetch(client, url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_common_headers(response)
    # Not the pages' policy: no scripts, no forms, no access to the portal's origin at all.
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize(
    "path", ["/static/css/portal.css", "/static/js/map.js", "/static/img/favicon.svg"]
)
def test_static_files_carry_the_headers_too(client, path):
    response = fetch(client, path)
    assert response.status_code == 200
    assert "WhiteNoise" in type(response).__name__  # served before the rest of the middleware
    assert_common_headers(response)
    # An SVG opened on its own is a document: it may run no script of its own either.
    assert_strict_policy(response)


def test_a_page_with_a_map_allows_the_tile_server_for_images_and_nothing_else(client, settings):
    settings.MAP_TILE_URL = TILE_URL
    ActorFactory(name="Stadtteilladen", latitude=Decimal("51.34"), longitude=Decimal("12.37"))
    response = fetch(client, "/akteure/")
    assert response.context["place_count"] == 1
    assert_common_headers(response)
    assert directives(response) == {
        **STRICT_DIRECTIVES,
        "img-src": "'self' data: https://tile.example.test",
    }
    # The places of the map are data, with the strict policy.
    assert_strict_policy(fetch(client, "/akteure/orte.json"))


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/events/event/", "/admin/events/event/add/", "/en/admin/actors/actor/"],
)
def test_the_admin_may_use_inline_styles_but_no_inline_script(admin_client, path):
    response = fetch(admin_client, path)
    assert response.status_code == 200
    assert_common_headers(response)
    assert directives(response) == {**STRICT_DIRECTIVES, "style-src": "'self' 'unsafe-inline'"}


def test_the_admins_leeway_stays_on_its_paths(admin_client):
    # Signed in as staff, the public pages keep the strict policy.
    for path in ("/", "/akteure/", "/konto/", "/gibt-es-nicht/"):
        response = fetch(admin_client, path)
        assert response.status_code in {200, 404}, path
        assert_strict_policy(response)


def test_no_public_page_allows_inline_code(client, event):
    for path in ("/", "/akteure/", "/veranstaltungen/", "/projekte/", "/konto/login/"):
        policy = directives(fetch(client, path))
        for name in ("script-src", "style-src", "default-src"):
            assert "unsafe" not in policy[name], (path, name)


def test_https_responses_demand_https_for_a_year(client, settings):
    # As behind the TLS proxy (BEHIND_TLS_PROXY=1): the default of SECURE_HSTS_SECONDS there.
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    hsts = "max-age=31536000; includeSubDomains; preload"
    for path in ("/", "/static/css/portal.css", "/gibt-es-nicht/"):
        response = fetch(client, path, secure=True)
        assert response["Strict-Transport-Security"] == hsts, path
    # Never over plain HTTP, where a man in the middle could strip or forge it anyway.
    assert not fetch(client, "/").has_header("Strict-Transport-Security")


ADMIN_ADDRESSES = """
import django
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
django.setup()
with translation.override("en"):
    english = reverse("admin:index")
try:
    usual = resolve("/admin/").namespace or "-"
except Resolver404:
    usual = "-"
print(reverse("admin:index"), english, usual)
"""


@pytest.mark.parametrize(
    ("configured", "address"),
    [
        ("verwaltung-4b1c/", "/verwaltung-4b1c/"),
        ("/intern/pflege", "/intern/pflege/"),
        ("", "/admin/"),
    ],
)
def test_the_admin_lives_where_admin_url_says(configured, address):
    result = start({"DEBUG": "1", "ADMIN_URL": configured}, ADMIN_ADDRESSES)
    assert result.returncode == 0, result.stderr
    german, english, usual_address = result.stdout.split()
    assert (german, english) == (address, f"/en{address}")
    # Moved, nothing of the admin is left at the usual address.
    assert usual_address == ("admin" if address == "/admin/" else "-")
