"""Steps the browser tests share.

Playwright's ``click()`` returns as soon as the click is dispatched; it does not wait for the page
a form's POST leads to. Reading the page right after, or calling ``wait_for_load_state()`` (which
answers for the page that is *still* shown), then races the server's answer. ``submit()`` waits
for the navigation the click starts, so the next line reads the new page.
"""


def submit(page, locator) -> None:
    """Click ``locator`` (a submit button) and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        locator.click()
