"""Error pages come in the portal's look and never fail themselves."""

from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from quartier.links import portal_domain


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


# --- links on error pages stay on the portal ------------------------------------------------


def hosts_linked(find, response) -> list[str]:
    """Where the language switch and the alternates lead: "" for a path on this host."""
    links = [
        *find(response, "a", **{"class": "language-switch__link"}),
        *(node for node in find(response, "link", rel="alternate") if "hreflang" in node.attrs),
    ]
    assert links
    return [urlsplit(node.attrs["href"]).netloc for node in links]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["//evil.example/", "///evil.example/", "/\\evil.example/"])
def test_a_path_that_names_another_host_leads_nowhere_else(client, find, path):
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    for node in find(response, "a", **{"class": "language-switch__link"}):
        assert node.attrs["href"] in {"/", "/en/"}
    assert set(hosts_linked(find, response)) <= {"", portal_domain()}
    assert "evil.example" not in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_of_a_not_found_page_leads_to_the_home_pages(client, find):
    response = client.get("/en/gibt-es-nicht/")
    (german,) = find(response, "a", hreflang="de")
    assert german.attrs["href"] == "/"
    # Such a page has no translation to announce.
    assert [
        node for node in find(response, "link", rel="alternate") if "hreflang" in node.attrs
    ] == []


@pytest.mark.django_db
def test_a_detail_page_that_is_not_found_keeps_its_language_switch(client, find):
    response = client.get("/en/akteure/gibt-es-nicht/")
    assert response.status_code == 404
    (german,) = find(response, "a", hreflang="de")
    assert german.attrs["href"] == "/akteure/gibt-es-nicht/"
