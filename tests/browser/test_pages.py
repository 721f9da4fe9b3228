"""Every public page: it loads, looks like KERN, talks to no other host and works by keyboard."""

import pytest

PAGES = [
    "/",
    "/initiative/",
    "/kontakt/",
    "/impressum/",
    "/datenschutz/",
    "/akteure/degewo-ag/",
    # The project list with every filter by the projects' facts chosen (the demo's examples).
    "/projekte/?state=BE&size=large_city&year=2021&budget=250k_1m",
    "/en/",
]


def assert_kern_styles(page, request_log) -> None:
    """KERN's stylesheet and the portal's Fira Sans arrived and are applied."""
    assert request_log.status_of("/kern/kern.min.css") == 200, request_log.urls()
    font_family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "Fira Sans" in font_family
    loaded_faces = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts]
                .filter((face) => face.family.includes('Fira Sans') && face.status === 'loaded')
                .length;
        }"""
    )
    assert loaded_faces > 0, "the Fira Sans web font did not load"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_data", "default_pages")
@pytest.mark.parametrize("path", PAGES)
def test_public_page(path, live_server, page, request_log, assert_accessible):
    response = page.goto(path)

    assert response.status == 200
    assert_kern_styles(page, request_log)

    favicon = page.locator("head link[rel='icon']")
    assert favicon.count() == 1
    favicon_url = page.evaluate("() => document.querySelector('head link[rel=icon]').href")
    assert page.request.get(favicon_url).status == 200

    assert_accessible(page)

    # Keyboard: the first Tab reaches the skip link, which is then visible; it leads to <main>.
    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    assert skip_link.get_attribute("href") == "#main"
    assert skip_link.evaluate("(link) => link.classList.contains('skip-link')")
    box = skip_link.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/akteure/gibt-es-nicht/", "/gibt-es-nicht/"])
def test_unknown_address_shows_the_portal_page_not_found(
    path, live_server, page, request_log, assert_accessible
):
    """An old or mistyped link gets the portal's own 404 page, in its layout, not an error."""
    response = page.goto(path)

    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").count() == 1
    assert page.locator("main#main a[href='/akteure/']").count() >= 1
    assert_kern_styles(page, request_log)
    assert_accessible(page)
    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == [f"404 {page.url}"]
