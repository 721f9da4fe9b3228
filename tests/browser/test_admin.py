"""Editors in the admin: the address of a new actor is written the German way as they type."""

import pytest

from tests.browser.test_staff_login import log_in_staff


@pytest.mark.django_db(transaction=True)
def test_new_actor_gets_a_german_address_while_typing_the_name(page, live_server, admin_user):
    page.goto(f"{live_server.url}/admin/actors/actor/add/")
    log_in_staff(page, admin_user, password="password")  # pytest-django's admin_user
    page.wait_for_url(f"{live_server.url}/admin/actors/actor/add/")
    page.type("#id_name", "Bürgerstiftung Größere Straße")

    assert page.input_value("#id_slug") == "buergerstiftung-groessere-strasse"
