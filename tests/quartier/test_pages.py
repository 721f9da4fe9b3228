import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from actors.models import Actor
from quartier.links import absolute_url, portal_domain
from quartier.models import Page
from tests.actors.factories import ActorFactory, SectorFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/initiative/", "/akteure/", "/kontakt/", "/impressum/", "/datenschutz/"]
ALL_PAGES = [*PAGES, *(f"/en{path}" for path in PAGES)]


@pytest.fixture
def content():
    """Actors and page texts that try to reach other hosts, as an editor might paste them."""
    sector = SectorFactory(name="Stiftungen", name_en="Foundations", slug="stiftungen")
    group = ActorFactory(
        name="Initiativen des kreativen beruflichen Nachwuchses",
        sector=sector,
        description='Gruppe <img src="https://tracker.example/gruppe.gif">',
    )
    ActorFactory(
        name="COI Bernburg",
        parent=group,
        sector=sector,
        city="Bernburg",
        website="https://coi-bernburg.example/",
        description=(
            '<iframe src="https://maps.example/embed"></iframe>'
            '<script src="https://cdn.example/x.js"></script>'
            "![Foto](https://images.example/foto.jpg) [Website](https://coi-bernburg.example/)"
        ),
        logo="actors/logos/coi.png",
        logo_alt_text="Logo COI",
        topics=["Kultur"],
    )
    ActorFactory(name="DV", role=Actor.Role.ORGANISER, sector=sector)
    Page.objects.filter(slug="kontakt").update(
        body='Schreiben Sie uns. <img src="https://tracker.example/kontakt.gif">'
        '<link rel="stylesheet" href="https://fonts.example/css">'
    )
    return group


# --- every page answers ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_answers(client, content, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_pages_exist_from_the_start():
    assert set(Page.objects.values_list("slug", flat=True)) == {
        "kontakt",
        "impressum",
        "datenschutz",
    }


# --- staff-edited pages ---------------------------------------------------------------------


def test_page_titles_in_both_languages(client, find):
    (german,) = find(client.get("/kontakt/"), "h1")
    (english,) = find(client.get("/en/kontakt/"), "h1")
    assert german.text == "Kontakt"
    assert english.text == "Contact"
    (title,) = find(client.get("/en/kontakt/"), "title")
    assert title.text.startswith("Contact")


def test_staff_edit_of_a_page_shows(admin_client, client):
    contact = Page.objects.get(slug="kontakt")
    response = admin_client.post(
        f"/admin/quartier/page/{contact.pk}/change/",
        {
            "title": "Kontakt",
            "body": "Sprechzeiten: **montags** 10–12 Uhr",
            "title_en": "Contact",
            "body_en": "",
        },
    )
    assertRedirects(response, "/admin/quartier/page/", fetch_redirect_response=False)
    assertContains(client.get("/kontakt/"), "Sprechzeiten: <strong>montags</strong> 10–12 Uhr")
    # Without an English text, English visitors read the German one.
    assertContains(client.get("/en/kontakt/"), "<strong>montags</strong>")


def test_english_page_text_when_given(client):
    Page.objects.filter(slug="impressum").update(
        body="Anbieter ist der DV.", body_en="The provider is the DV."
    )
    assertContains(client.get("/en/impressum/"), "The provider is the DV.")
    assertContains(client.get("/impressum/"), "Anbieter ist der DV.")


def test_contact_email_is_shown_when_configured(client, settings):
    settings.CONTACT_EMAIL = "quartier@example.org"
    response = client.get("/kontakt/")
    assertContains(response, 'href="mailto:quartier@example.org"')


def test_contact_email_is_not_shown_when_empty(client, settings):
    settings.CONTACT_EMAIL = ""
    response = client.get("/kontakt/")
    assertNotContains(response, "mailto:")
    # The postal address of the data migration is there instead.
    assertContains(response, "Littenstraße 10")


def test_contact_email_only_on_the_contact_page(client, settings):
    settings.CONTACT_EMAIL = "quartier@example.org"
    assertNotContains(client.get("/impressum/"), "mailto:quartier@example.org")


# --- language -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "lang"), [("/", "de"), ("/akteure/", "de"), ("/en/", "en"), ("/en/akteure/", "en")]
)
def test_html_lang(client, find, path, lang):
    (html,) = find(client.get(path), "html")
    assert html.attrs["lang"] == lang


def test_german_is_the_default_whatever_the_browser_asks(client, find):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    (html,) = find(response, "html")
    assert html.attrs["lang"] == "de"


@pytest.mark.parametrize(
    ("path", "other", "target"),
    [
        ("/akteure/?sector=stiftungen", "en", "/en/akteure/?sector=stiftungen"),
        ("/en/akteure/?sector=stiftungen", "de", "/akteure/?sector=stiftungen"),
        ("/", "en", "/en/"),
        ("/en/", "de", "/"),
        ("/kontakt/", "en", "/en/kontakt/"),
    ],
)
def test_language_switch_keeps_the_page_and_query(client, content, find, path, other, target):
    response = client.get(path)
    switch = [node.attrs["href"] for node in find(response, "a", hreflang=other)]
    assert switch == [target]
    alternate = [
        node.attrs["href"] for node in find(response, "link", rel="alternate", hreflang=other)
    ]
    assert alternate == [absolute_url(target)]


def test_language_switch_on_an_actor_page(client, content):
    german = content.get_absolute_url()
    response = client.get(f"/en{german}")
    assertContains(response, f'href="{german}"')


# --- accessibility basics -------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_skip_link_leads_to_the_main_content(client, content, find, path):
    response = client.get(path)
    first_link = find(response, "a")[0]
    assert first_link.attrs["href"] == "#main"
    (main,) = find(response, "main")
    assert main.attrs["id"] == "main"


@pytest.mark.parametrize("path", PAGES)
def test_one_main_heading(client, content, find, path):
    assert len(find(client.get(path), "h1")) == 1


# --- nothing from other hosts ---------------------------------------------------------------

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def is_other_host(url: str) -> bool:
    parts = urlsplit(url.strip())
    # The portal's configured public address is this host too (alternates, og:url).
    return bool(parts.netloc) and parts.netloc not in {"testserver", portal_domain()}


def css_urls(css: str) -> list[str]:
    urls = [url or imported for url, imported in CSS_URL.findall(css)]
    return [url for url in urls if not url.startswith("data:")]


# Elements that make the browser fetch something by themselves, and the attributes that say what.
LOADING = {
    "link": ["href"],
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "form": ["action"],
    "input": ["src", "formaction"],
    "button": ["formaction"],
}


def loaded_urls(node) -> list[str]:
    urls = []
    for attribute in LOADING.get(node.tag, []):
        # srcset is "url 1x, url 2x"; every other attribute holds one URL.
        for candidate in node.attrs.get(attribute, "").split(","):
            if candidate.strip():
                urls.append(candidate.split()[0])
    if node.attrs.get("style"):
        urls.extend(css_urls(node.attrs["style"]))
    if node.tag == "style":
        urls.extend(css_urls(node.text))
    return urls


@pytest.mark.parametrize("path", [*ALL_PAGES, "member", "/en/member", "group"])
def test_no_page_makes_the_browser_contact_another_host(client, content, find, path):
    if path.endswith("member"):
        path = path.removesuffix("member").rstrip("/") + content.members.get().get_absolute_url()
    elif path == "group":
        path = content.get_absolute_url()
    response = client.get(path)
    assert response.status_code == 200

    urls = [url for node in find(response) for url in loaded_urls(node)]
    assert urls, "the page loads nothing at all?"
    assert [url for url in urls if is_other_host(url)] == []


def test_stylesheets_load_nothing_from_other_hosts(client, find):
    stylesheets = [node.attrs["href"] for node in find(client.get("/"), "link", rel="stylesheet")]
    assert stylesheets
    for href in stylesheets:
        assert href.startswith("/static/")
        path = finders.find(href.removeprefix("/static/"))
        assert path, f"{href} is not a static file"
        with open(path, encoding="utf-8") as css:
            assert [url for url in css_urls(css.read()) if is_other_host(url)] == [], href


def test_preloaded_fonts_exist(client, find):
    for node in find(client.get("/"), "link", rel="preload"):
        assert finders.find(node.attrs["href"].removeprefix("/static/")), node.attrs["href"]


@pytest.mark.parametrize("path", ["/", "/akteure/", "/kontakt/", "/en/initiative/"])
def test_content_security_policy(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "http" not in policy


def test_content_security_policy_on_not_found_pages(client, content):
    response = client.get("/akteure/gibt-es-nicht/")
    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_favicon_redirects_to_a_static_file(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    assert finders.find("img/favicon.svg")


# --- home -----------------------------------------------------------------------------------


def test_home_shows_who_runs_and_who_takes_part(client, content):
    response = client.get("/")
    assert [actor.name for actor in response.context["organisers"]] == ["DV"]
    # Members of a group are not listed one by one on the home page.
    assert [actor.name for actor in response.context["participants"]] == [content.name]
    assert response.context["participant_count"] == 2
    assertContains(response, content.get_absolute_url())
