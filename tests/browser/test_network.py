"""The network page /akteure/netzwerk/ in a browser: the demo's links drawn and listed, the
filters sent without JavaScript, no request to another host, and no accessibility violation
(axe-core, WCAG 2.1 AA, the SVG's text included) in German and English, unfiltered and filtered."""

import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_network_page_is_accessible(live_server, page, request_log, assert_accessible, prefix):
    page.goto(f"{prefix}/akteure/netzwerk/")
    drawing = page.locator("svg.network-graph[role='img']")
    assert drawing.get_attribute("aria-label")
    edges = drawing.locator(".network-graph__edge").count()
    assert edges > 0
    assert page.locator(".network-table tbody tr").count() == edges
    assert_accessible(page)

    # A sector from the filter, sent with the form's button (no JavaScript needed for it).
    page.locator("select#id_sector").select_option("wohnungswirtschaft")
    page.locator("form.network-filters button[type='submit']").click()
    page.wait_for_url("**sector=wohnungswirtschaft**")
    assert page.locator(".network-table tbody tr").count() > 0
    assert_accessible(page)

    # A node is a link to its actor's page.
    node = page.locator("svg.network-graph__links a.network-graph__node").first
    href = node.get_attribute("href")
    node.click()
    page.wait_for_url(f"**{href}")
    assert page.locator("#network-title").count() == 1
    assert_accessible(page)
    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []
