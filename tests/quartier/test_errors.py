"""Error pages come in the portal's look and never fail themselves."""

from urllib.parse import urlsplit

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from actors.views import ActorDetailView
from quartier import errors
from quartier.links import portal_domain
from tests.factories import UserFactory


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


# --- error pages render without what failed -------------------------------------------------


@pytest.fixture
def visitor():
    """A client that gets the error page, as a visitor does, instead of the exception."""
    return Client(raise_request_exception=False)


def assert_portal_page(response, status: int, heading: str):
    assert response.status_code == status
    content = response.content.decode()
    assert f">{heading}</h1>" in content
    assert 'class="skip-link"' in content
    assert 'class="portal-footer"' in content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/akteure/", "/gibt-es-nicht/"])
def test_a_host_that_is_not_allowed_gets_the_bad_request_page(visitor, path):
    response = visitor.get(path, HTTP_HOST="evil.example")
    assert_portal_page(response, 400, "Ungültige Anfrage")
    assert "evil.example" not in response.content.decode()


@pytest.mark.django_db
def test_a_form_in_a_charset_django_does_not_read_gets_one_bad_request_page(caplog):
    visitor = Client(raise_request_exception=False, enforce_csrf_checks=True)
    visitor.get("/mitmachen/")  # the form's page sets the CSRF cookie
    caplog.clear()
    response = visitor.post(
        "/mitmachen/",
        data="a=b",  # the client encodes it in UTF-16
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        HTTP_X_CSRFTOKEN=visitor.cookies["csrftoken"].value,
    )
    assert_portal_page(response, 400, "Ungültige Anfrage")
    assert len(caplog.records) <= 3, [record.getMessage() for record in caplog.records]


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_the_portal_forbidden_page():
    visitor = Client(raise_request_exception=False, enforce_csrf_checks=True)
    response = visitor.post("/mitmachen/", {"organisation_name": "Verein"})
    assert_portal_page(response, 403, "Zugriff verweigert")


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails, as when the database server does not answer."""

    def fail(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", fail)
    monkeypatch.setattr(CursorWrapper, "executemany", fail)


@pytest.mark.django_db
def test_error_pages_render_while_the_database_is_down(visitor, request):
    # Logged in: the header would ask the database who the visitor is.
    visitor.force_login(UserFactory(username="nora"))
    request.getfixturevalue("database_down")
    assert_portal_page(visitor.get("/gibt-es-nicht/"), 404, "Seite nicht gefunden")
    assert_portal_page(visitor.get("/akteure/irgendwer/"), 500, "Etwas ist schiefgelaufen")


@pytest.mark.django_db
def test_the_server_error_page_shows_even_when_its_template_fails(visitor, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the template is broken")

    monkeypatch.setattr(errors, "render_to_string", broken)
    monkeypatch.setattr(ActorDetailView, "get_object", broken)
    response = visitor.get("/akteure/irgendwer/")
    assert response.status_code == 500
    assert "Etwas ist schiefgelaufen" in response.content.decode()
    assert len(caplog.records) <= 3


@pytest.mark.django_db
def test_too_many_logins_get_the_portal_page(visitor):
    from allauth.core.internal.ratelimit import respond_429

    request = RequestFactory().get("/konto/anmelden/")
    assert_portal_page(respond_429(request), 429, "Zu viele Versuche")
