"""The admin's start page with the demo's open items, as staff see it, checked with axe-core."""

import pytest
from django.utils.translation import gettext

from actors.demo import APPLICATION_EXAMPLE
from tests.browser.test_staff_login import log_in_staff
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_the_start_page_shows_the_open_items_and_is_accessible(
    page, live_server, demo_data, assert_accessible
):
    editor = UserFactory(is_staff=True, is_superuser=True, email="redaktion@example.org")
    page.goto(f"{live_server.url}/admin/")
    log_in_staff(page, editor)
    page.wait_for_url(f"{live_server.url}/admin/")

    for heading in (
        "Applications awaiting review",
        "Upcoming events",
        "Documentation incomplete",
        "Drafts waiting to be published",
    ):
        assert page.get_by_role("heading", name=gettext(heading), level=2).is_visible()
    page.get_by_role("link", name=APPLICATION_EXAMPLE["organisation_name"]).click()
    page.wait_for_url("**/admin/actors/application/*/change/")
    page.go_back()
    assert_accessible(page)
