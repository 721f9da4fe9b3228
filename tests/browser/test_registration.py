"""Registering for an event without an account: the form (with its errors), the e-mail link,
the confirmation, and the cancel link; axe-core on every page on the way. Text is asserted only
where it comes from the data (the catalogue may lag behind the templates)."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Registration
from tests.browser.actions import submit
from tests.events.factories import EventFactory

CONFIRM_LINK = re.compile(r"https?://\S+/anmeldung/[^/\s]+/bestaetigen/")
CANCEL_LINK = re.compile(r"https?://\S+/anmeldung/[^/\s]+/abmelden/")


@pytest.fixture
def open_event(db):
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=21)
    return EventFactory(
        title="Werkstattgespräch Nachbarschaft",
        start=start,
        end=start + datetime.timedelta(hours=3),
        registration_enabled=True,
        capacity=3,
        asks_dietary_notes=True,
    )


@pytest.mark.django_db(transaction=True)
def test_register_confirm_and_cancel_without_an_account(
    live_server, page, request_log, assert_accessible, settings, default_pages, open_event
):
    settings.PORTAL_BASE_URL = live_server.url
    event = open_event

    page.goto(event.get_absolute_url())
    section = page.locator("section.event-registration")
    assert section.count() == 1
    assert "3" in section.inner_text()  # three places left
    assert_accessible(page)

    section.locator(f"a[href='/veranstaltungen/{event.slug}/anmelden/']").click()
    page.wait_for_url(f"**/veranstaltungen/{event.slug}/anmelden/")
    assert page.locator("h1").inner_text() == event.title
    assert_accessible(page)

    # Sent without consent and with a broken address: the errors, and what was typed stays.
    form = page.locator("form.portal-form")
    form.locator("#id_name").fill("Erika Beispiel")
    form.locator("#id_email").fill("erika-at-example.org")
    form.locator("#id_dietary_notes").fill("vegan")
    submit(page, form.locator("button[type='submit']"))
    assert page.locator(".portal-form-errors").count() == 1
    assert page.locator("#id_name").input_value() == "Erika Beispiel"
    assert page.locator("#id_dietary_notes").input_value() == "vegan"
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    assert not Registration.objects.exists()
    assert_accessible(page)

    page.locator("#id_email").fill("erika@example.org")
    page.locator("#id_privacy_consent").check()
    page.locator("form.portal-form button[type='submit']").click()
    page.wait_for_url(f"**/veranstaltungen/{event.slug}/anmelden/gesendet/")
    assert event.title in page.locator("main").inner_text()
    assert_accessible(page)
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.UNCONFIRMED

    # The link of the e-mail opens a page with a button; pressing it confirms.
    (message,) = mail.outbox
    confirm_url = CONFIRM_LINK.search(message.body).group(0)
    assert confirm_url.startswith(live_server.url)
    page.goto(confirm_url)
    assert "Erika Beispiel" in page.locator("main").inner_text()
    assert_accessible(page)
    submit(page, page.locator("main form button[type='submit']"))
    assert page.locator("main .kern-alert--success").count() == 1
    assert_accessible(page)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    confirmation = mail.outbox[-1]
    assert any(item[2].startswith("text/calendar") for item in confirmation.attachments)

    # The cancel link needs no login.
    cancel_url = CANCEL_LINK.search(confirmation.body).group(0)
    page.goto(cancel_url)
    assert event.title in page.locator("main").inner_text()
    assert_accessible(page)
    submit(page, page.locator("main form button[type='submit']"))
    assert page.locator("main .kern-alert--success").count() == 1
    assert_accessible(page)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED

    assert urlsplit(page.url).path == urlsplit(cancel_url).path
    assert request_log.foreign(live_server.url) == []
    assert request_log.failed() == []
