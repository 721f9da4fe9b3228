"""The account journey: sign up, confirm the address from the e-mail, log in, see /konto/.
axe-core runs on every form page, also with its errors shown. Text is asserted where it is
language-neutral or comes from Django's and allauth's catalogues (ours may lag behind)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from events.models import Registration
from tests.actors.factories import ApplicationFactory
from tests.browser.actions import submit
from tests.events.factories import EventFactory

PASSWORD = "Quartier-Passwort-2025"


def _submit(page):
    submit(page, page.locator("main form.portal-form button[type='submit']").first)


@pytest.mark.django_db(transaction=True)
def test_sign_up_confirm_log_in_and_see_the_account(
    live_server, page, request_log, assert_accessible, default_pages, settings
):
    settings.PORTAL_BASE_URL = live_server.url

    # Sign-up, first with nothing filled in: the errors are listed and each field says what to fix.
    page.goto("/konto/signup/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    _submit(page)
    assert page.locator(".portal-form-errors").is_visible()
    assert page.locator(".kern-error").count() >= 4
    assert_accessible(page)

    page.fill("#id_email", "nora@example.org")
    page.fill("#id_first_name", "Nora")
    page.fill("#id_last_name", "Neumann")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    _submit(page)
    page.wait_for_url("**/konto/confirm-email/")
    assert_accessible(page)

    # The link in the e-mail opens a page with a button; only the button confirms.
    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+/konto/confirm-email/\S+/", message.body)
    assert link.startswith(live_server.url)
    page.goto(link)
    assert_accessible(page)
    _submit(page)
    page.wait_for_url("**/konto/login/")

    # Login: a wrong password first, then the right one.
    assert_accessible(page)
    page.fill("#id_login", "nora@example.org")
    page.fill("#id_password", "falsch")
    _submit(page)
    assert page.locator(".portal-form-errors").is_visible()
    assert page.locator("#id_login").input_value() == "nora@example.org"
    assert_accessible(page)
    page.fill("#id_password", PASSWORD)
    _submit(page)
    page.wait_for_url(f"{live_server.url}/konto/")

    # The overview, with a registration and an application of the person.
    user = get_user_model().objects.get(email="nora@example.org")
    event = EventFactory(
        title="Quartierswerkstatt", start=timezone.now() + datetime.timedelta(days=20)
    )
    Registration.objects.create(
        event=event,
        user=user,
        name="Nora Neumann",
        email=user.email,
        privacy_consent_at=timezone.now(),
        privacy_notice_version="2025-01-01",
        status=Registration.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    ApplicationFactory(user=user, organisation_name="Verein Nachbarschaft")
    page.reload()
    assert page.locator("h1").count() == 1
    assert page.locator("#id_first_name").input_value() == "Nora"
    assert page.get_by_role("link", name="Quartierswerkstatt", exact=True).is_visible()
    assert page.get_by_text("Verein Nachbarschaft").is_visible()
    assert page.locator(".portal-header__account[aria-current='page']").count() == 1
    assert_accessible(page)

    # The name form with an error.
    page.fill("#id_first_name", "")
    _submit(page)
    assert page.locator(".portal-form-errors").is_visible()
    assert_accessible(page)

    # The delete page, and with a wrong password.
    page.goto("/konto/loeschen/")
    assert_accessible(page)
    page.fill("#id_password", "falsch")
    _submit(page)
    assert page.locator(".kern-error").is_visible()
    assert_accessible(page)

    # Password change, e-mail addresses, logout confirmation.
    for path in ("/konto/password/change/", "/konto/email/", "/konto/logout/"):
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)

    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []


@pytest.mark.django_db(transaction=True)
def test_password_reset_pages_are_accessible(
    live_server, page, request_log, assert_accessible, default_pages, settings
):
    settings.PORTAL_BASE_URL = live_server.url
    page.goto("/konto/password/reset/")
    assert_accessible(page)
    page.fill("#id_email", "kein-konto")
    _submit(page)
    assert page.locator(".portal-form-errors").is_visible()
    assert page.locator("#id_email").input_value() == "kein-konto"
    assert_accessible(page)
    page.fill("#id_email", "niemand@example.org")
    _submit(page)
    page.wait_for_url("**/konto/password/reset/done/")
    assert_accessible(page)
    assert len(mail.outbox) == 1
    assert request_log.failed() == []
