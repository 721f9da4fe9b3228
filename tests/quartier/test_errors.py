"""Error pages come in the portal's look and never fail themselves."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/gibt-es-nicht/", "/en/gibt-es-nicht/", "/akteure/a/b/c/"])
def test_unknown_address_shows_the_portal_not_found_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b'class="skip-link"' in response.content
    assert b'href="/akteure/"' in response.content or b'href="/en/akteure/"' in response.content


@pytest.mark.django_db
def test_not_found_page_speaks_german_and_english(client):
    assert "Seite nicht gefunden" in client.get("/gibt-es-nicht/").content.decode()
    assert "Page not found" in client.get("/en/gibt-es-nicht/").content.decode()


def test_server_error_page_renders_without_request_context():
    # Django renders 500.html without context processors; it must still show the layout.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Etwas ist schiefgelaufen" in content
    assert 'class="portal-footer"' in content
