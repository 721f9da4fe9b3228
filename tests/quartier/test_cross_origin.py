"""No other site may embed what the portal serves: every kind of response, static files
included, says ``Cross-Origin-Resource-Policy: same-origin`` (and the pages COOP)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/akteure/",
        "/gibt-es-nicht/",  # 404
        "/veranstaltungen/kalender.ics",
        "/veranstaltungen/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/static/css/map.css",  # served by whitenoise, before the rest of the middleware
    ],
)
def test_every_response_is_for_this_origin_only(client, path):
    response = client.get(path)
    response.close()  # a static file is a stream of an open file
    assert response.status_code in {200, 404}, path
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_open_no_window_into_another_origin(client):
    assert client.get("/")["Cross-Origin-Opener-Policy"] == "same-origin"
