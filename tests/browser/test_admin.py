"""Editors in the admin: the address of a new actor is written the German way as they type."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_new_actor_gets_a_german_address_while_typing_the_name(page, live_server, admin_user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")  # pytest-django's admin_user
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/actors/actor/add/")
    page.type("#id_name", "Bürgerstiftung Größere Straße")

    assert page.input_value("#id_slug") == "buergerstiftung-groessere-strasse"
