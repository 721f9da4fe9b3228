"""Applying to join: fill in the form, send it, confirm the e-mail address through the link."""

import re
import time

import pytest
from django.core import signing
from django.urls import reverse

from actors.models import Application
from actors.services import application_confirm_token
from tests.actors.factories import ApplicationFactory, SectorFactory
from tests.browser.actions import submit

CONFIRM_LINK = re.compile(r"https?://\S+/mitmachen/bestaetigen/\S+/")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_pages")
def test_apply_and_confirm(live_server, page, settings, mailoutbox, request_log, assert_accessible):
    settings.PORTAL_BASE_URL = live_server.url
    SectorFactory(name="Zivilgesellschaft", slug="zivilgesellschaft")

    page.goto("/mitmachen/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)

    # Sent empty: the form comes back with the errors listed and linked to their fields.
    submit(page, page.locator("form.portal-form button[type=submit]"))
    assert page.locator("#form-errors").is_visible()
    assert page.locator("#id_organisation_name[aria-invalid=true]").count() == 1
    assert_accessible(page)

    page.fill("#id_organisation_name", "Nachbarschaftsverein Lindenau")
    page.select_option("#id_sector", label="Zivilgesellschaft")
    page.fill("#id_city", "Leipzig")
    page.fill("#id_website", "lindenau.example")
    page.fill("#id_contact_name", "Erika Mustermann")
    page.fill("#id_email", "erika@lindenau.example")
    page.fill("#id_offers", "Räume für Treffen.")
    page.fill("#id_seeks", "Partner aus der Wohnungswirtschaft.")
    page.fill("#id_topics", "Nachbarschaft, Kultur")
    page.check("#id_privacy_consent")
    page.click("form.portal-form button[type=submit]")

    page.wait_for_url(f"{live_server.url}/mitmachen/gesendet/")
    assert_accessible(page)
    assert Application.objects.get().status == Application.Status.UNCONFIRMED

    assert len(mailoutbox) == 1
    link = CONFIRM_LINK.search(mailoutbox[0].body).group(0)
    assert link.startswith(live_server.url)

    response = page.goto(link)
    assert response.status == 200
    assert_accessible(page)
    # Opening the link changed nothing; the button does.
    assert Application.objects.get().status == Application.Status.UNCONFIRMED
    submit(page, page.locator("main form button[type=submit]"))
    assert page.locator(".kern-alert--success").is_visible()
    assert_accessible(page)
    assert Application.objects.get().status == Application.Status.PENDING

    # The link used again: already confirmed, still a proper page.
    response = page.goto(link)
    assert response.status == 200
    assert page.locator(".kern-alert--success").count() == 0
    assert_accessible(page)

    assert request_log.foreign(live_server.url) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_pages")
def test_forged_and_expired_links_give_accessible_pages(
    live_server, page, monkeypatch, assert_accessible
):
    response = page.goto("/mitmachen/bestaetigen/gefaelscht:1abc:xyz/")
    assert response.status == 404
    assert page.locator("main a[href='/mitmachen/']").count() == 1
    assert_accessible(page)

    application = ApplicationFactory(unconfirmed=True)
    path = reverse(
        "applications:confirm", kwargs={"token": application_confirm_token(application=application)}
    )
    # The live server runs in this process: its signing module sees this clock, days later.
    monkeypatch.setattr(signing, "time", _Later(30 * 24 * 3600))
    response = page.goto(path)
    assert response.status == 410
    assert page.locator("main a.kern-btn[href='/mitmachen/']").count() == 1
    assert_accessible(page)


class _Later:
    def __init__(self, seconds):
        self.seconds = seconds

    def time(self):
        return time.time() + self.seconds
