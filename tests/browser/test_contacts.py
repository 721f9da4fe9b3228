"""The invitation of a contact person in the browser: from the e-mail's link to the login and
back, the page for an account with another address, accepting; axe-core on every page."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from actors.contacts import invitation_create
from actors.models import ActorContact
from tests.actors.factories import ActorFactory
from tests.browser.actions import submit
from tests.factories import PASSWORD, UserFactory


def _person(email):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _log_in(page, email):
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    submit(page, page.locator("main form.portal-form button[type='submit']").first)


@pytest.mark.django_db(transaction=True)
def test_accepting_an_invitation(live_server, page, assert_accessible, default_pages, settings):
    settings.PORTAL_BASE_URL = live_server.url
    actor = ActorFactory(name="Stadtteilladen Nord & Söhne")
    invitation_create(actor=actor, email="nora@example.org", invited_by=None)
    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+/konto/organisation/einladung/\S+/", message.body)
    _person("fritz@example.org")
    nora = _person("nora@example.org")

    # Not logged in: the login, and from there back to the invitation.
    page.goto(link)
    page.wait_for_url("**/konto/login/**")
    _log_in(page, "fritz@example.org")
    page.wait_for_url(link)
    # Another address: the page says which one is needed, and offers no button.
    assert page.locator("h1").count() == 1
    assert page.get_by_text("n…a@example.org", exact=False).is_visible()
    assert page.get_by_role("button", name="Einladung annehmen").count() == 0
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(link)
    _log_in(page, "nora@example.org")
    page.wait_for_url(link)
    assert page.get_by_text("Stadtteilladen Nord & Söhne", exact=False).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Einladung annehmen").click()
    page.wait_for_url(f"{live_server.url}/konto/organisation/")
    assert page.get_by_text("Sie sind jetzt Ansprechperson", exact=False).is_visible()
    # The list of the person's organisations, with the new one.
    assert page.get_by_role("heading", name="Stadtteilladen Nord & Söhne").is_visible()
    assert_accessible(page)
    assert ActorContact.objects.filter(actor=actor, user=nora).exists()

    # The link is used: the calm page that says no more.
    response = page.goto(link)
    assert response.status == 404
    assert "Stadtteilladen" not in page.content()
    assert_accessible(page)
