"""Registering for an event: the form, the double opt-in by e-mail, places and the waiting list,
the cancel link, one click for a logged-in person, and what the services do for retention and
account deletion."""

import datetime
import re
import time
from unittest import mock
from urllib.parse import urlsplit

import icalendar
import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from events.models import Event, Registration
from events.services import (
    registration_cancel,
    registration_cancel_url,
    registration_confirm,
    registration_create,
    registrations_anonymise_past,
    registrations_delete_unconfirmed,
    registrations_remove_personal_data,
    waitlist_promote,
)
from quartier.forms import HONEYPOT_FIELD
from quartier.tokens import token_for
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://[^\s\"<>]+/anmeldung/[^/\s\"<>]+/bestaetigen/")
CANCEL_LINK = re.compile(r"https?://[^\s\"<>]+/anmeldung/[^/\s\"<>]+/abmelden/")


def open_event(**fields) -> Event:
    """A published event in three weeks that takes registrations."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=21)
    defaults = {
        "title": "Werkstattgespräch Nachbarschaft",
        "start": start,
        "end": start + datetime.timedelta(hours=3),
        "registration_enabled": True,
    }
    return EventFactory(**{**defaults, **fields})


def register_url(event: Event) -> str:
    return f"/veranstaltungen/{event.slug}/anmelden/"


def form_data(**fields) -> dict:
    return {
        "name": "Erika Beispiel",
        "email": "erika@example.org",
        "organisation": "Stadtteilverein",
        "privacy_consent": "on",
        **fields,
    }


def path_of(url: str) -> str:
    return urlsplit(url).path


def link(pattern: re.Pattern, message) -> str:
    """The path of the link in the plain text and the HTML part (they must agree)."""
    text_links = pattern.findall(message.body)
    html_links = pattern.findall(message.alternatives[0][0])
    assert text_links, message.body
    assert {path_of(url) for url in html_links} == {path_of(text_links[0])}
    return path_of(text_links[0])


def calendar_attachment(message) -> icalendar.Calendar:
    (attachment,) = [item for item in message.attachments if item[2].startswith("text/calendar")]
    filename, content, _mimetype = attachment
    assert filename.endswith(".ics")
    return icalendar.Calendar.from_ical(content)


def register(client, event: Event, **fields):
    return client.post(register_url(event), form_data(**fields))


def register_and_confirm(client, event: Event, **fields) -> Registration:
    mail.outbox.clear()
    register(client, event, **fields)
    confirm_path = link(CONFIRM_LINK, mail.outbox[-1])
    client.post(confirm_path)
    return Registration.objects.active().get(
        event=event, email=fields.get("email", "erika@example.org")
    )


# --- The double opt-in ------------------------------------------------------------------------


def test_register_confirm_by_link_and_receive_the_calendar(client):
    event = open_event(capacity=10)
    page = client.get(register_url(event))
    assertContains(page, 'name="privacy_consent"')
    assertContains(page, 'name="accessibility_needs"')  # asked by default
    assertNotContains(page, 'name="dietary_notes"')

    response = register(client, event, accessibility_needs="Rollstuhl")

    assertRedirects(response, f"/veranstaltungen/{event.slug}/anmelden/gesendet/")
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.UNCONFIRMED
    assert registration.accessibility_needs == "Rollstuhl"
    assert registration.privacy_consent_at is not None
    assert registration.privacy_notice_version
    assert registration.language == "de"
    (message,) = mail.outbox
    assert message.to == ["erika@example.org"]
    assert event.title in message.subject
    assert message.alternatives[0][1] == "text/html"
    confirm_path = link(CONFIRM_LINK, message)
    link(CANCEL_LINK, message)  # every e-mail has its cancel link
    assert not message.attachments

    # Opening the link shows a page with a button; nothing changes on GET.
    page = client.get(confirm_path)
    assert page.status_code == 200
    assertContains(page, "<form", count=1 + page.content.decode().count('role="search"'))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.UNCONFIRMED

    done = client.post(confirm_path)
    assert done.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.confirmed_at is not None
    confirmation = mail.outbox[-1]
    assert len(mail.outbox) == 2
    link(CANCEL_LINK, confirmation)
    calendar = calendar_attachment(confirmation)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.start
    assert str(vevent["url"]).startswith("http")
    assert str(vevent["url"]).endswith(event.get_absolute_url())


def test_a_reused_confirmation_link_says_already_confirmed(client):
    event = open_event()
    register(client, event)
    confirm_path = link(CONFIRM_LINK, mail.outbox[0])
    client.post(confirm_path)
    sent = len(mail.outbox)

    for method in (client.get, client.post):
        response = method(confirm_path)
        assert response.status_code == 200
        assert response.context["state"] == "already"
    assert len(mail.outbox) == sent
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_an_expired_link_explains_and_offers_to_register_again(client, settings):
    settings.CONFIRMATION_LINK_HOURS = 72
    event = open_event()
    register(client, event)
    registration = Registration.objects.get()
    issued = time.time() - 73 * 3600
    with mock.patch("django.core.signing.time.time", return_value=issued):
        old_token = token_for("registration-confirm", registration.pk)

    for method in (client.get, client.post):
        response = method(f"/veranstaltungen/anmeldung/{old_token}/bestaetigen/")
        assert response.status_code == 410
        assert response.context["state"] == "expired"
        assertContains(response, register_url(event), status_code=410)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.UNCONFIRMED


def test_a_link_just_within_its_time_still_works(client, settings):
    settings.CONFIRMATION_LINK_HOURS = 72
    event = open_event()
    register(client, event)
    registration = Registration.objects.get()
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 71 * 3600):
        token = token_for("registration-confirm", registration.pk)
    client.post(f"/veranstaltungen/anmeldung/{token}/bestaetigen/")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "MQ:1tZ1bY:forged",
        "x" * 5000,
        "%00",
        "Ma%C3%9F",
        "..",
    ],
)
def test_forged_links_are_not_found_never_an_error(client, token):
    registration = RegistrationFactory(event=open_event(), status=Registration.Status.UNCONFIRMED)
    for kind in ("bestaetigen", "abmelden"):
        for method in (client.get, client.post):
            response = method(f"/veranstaltungen/anmeldung/{token}/{kind}/")
            assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.UNCONFIRMED


def test_a_cancel_token_does_not_confirm_and_a_confirm_token_does_not_cancel(client):
    registration = RegistrationFactory(event=open_event(), status=Registration.Status.UNCONFIRMED)
    cancel_token = token_for("registration-cancel", registration.pk)
    confirm_token = token_for("registration-confirm", registration.pk)
    assert client.post(f"/veranstaltungen/anmeldung/{cancel_token}/bestaetigen/").status_code == 404
    assert client.post(f"/veranstaltungen/anmeldung/{confirm_token}/abmelden/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.UNCONFIRMED


def test_a_link_of_a_deleted_registration_is_not_found(client):
    registration = RegistrationFactory(event=open_event(), status=Registration.Status.UNCONFIRMED)
    token = token_for("registration-confirm", registration.pk)
    registration.delete()
    assert client.get(f"/veranstaltungen/anmeldung/{token}/bestaetigen/").status_code == 404


def test_confirming_after_the_event_was_cancelled_is_refused(client):
    event = open_event()
    register(client, event)
    confirm_path = link(CONFIRM_LINK, mail.outbox[0])
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    response = client.post(confirm_path)
    assert response.status_code == 409
    assert response.context["state"] == "refused"
    assert response.context["refusal"]
    assert Registration.objects.get().status == Registration.Status.UNCONFIRMED


def test_confirming_after_the_deadline_is_allowed_until_the_start(client):
    event = open_event()
    register(client, event)
    confirm_path = link(CONFIRM_LINK, mail.outbox[0])
    Event.objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.post(confirm_path)
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


# --- Places and the waiting list --------------------------------------------------------------


def test_a_full_event_puts_people_on_the_waiting_list_and_a_cancellation_promotes(client):
    event = open_event(capacity=1)
    first = register_and_confirm(client, event, email="first@example.org", name="Erste")
    assert first.status == Registration.Status.CONFIRMED

    second = register_and_confirm(client, event, email="second@example.org", name="Zweite")
    assert second.status == Registration.Status.WAITING
    assert second.waiting_since is not None
    waiting_mail = mail.outbox[-1]
    assert waiting_mail.to == ["second@example.org"]
    assert not waiting_mail.attachments
    link(CANCEL_LINK, waiting_mail)

    third = register_and_confirm(client, event, email="third@example.org", name="Dritte")
    assert third.status == Registration.Status.WAITING

    # The first cancels with the link of her e-mail, without logging in.
    mail.outbox.clear()
    cancel_path = registration_cancel_url(first)
    page = client.get(cancel_path)
    assert page.status_code == 200
    assert page.context["state"] == "ask"
    first.refresh_from_db()
    assert first.status == Registration.Status.CONFIRMED
    done = client.post(cancel_path)
    assert done.context["state"] == "done"

    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert first.cancelled_at is not None
    assert second.status == Registration.Status.CONFIRMED  # first come, first served
    assert third.status == Registration.Status.WAITING
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"first@example.org", "second@example.org"}
    promoted = by_recipient["second@example.org"]
    calendar_attachment(promoted)
    link(CANCEL_LINK, promoted)
    link(CANCEL_LINK, by_recipient["first@example.org"])

    # The link again: it says so, and nothing more happens.
    mail.outbox.clear()
    again = client.post(cancel_path)
    assert again.context["state"] == "already"
    assert not mail.outbox


def test_never_more_confirmed_than_places(client):
    event = open_event(capacity=2)
    for number in range(5):
        register_and_confirm(client, event, email=f"person{number}@example.org")
    assert event.registrations.confirmed().count() == 2
    assert event.registrations.waiting().count() == 3


def test_cancelling_a_waiting_registration_promotes_nobody(client):
    event = open_event(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=Registration.Status.WAITING, waiting_since=timezone.now()
    )
    later = RegistrationFactory(
        event=event, status=Registration.Status.WAITING, waiting_since=timezone.now()
    )
    registration_cancel(registration=waiting)
    later.refresh_from_db()
    assert later.status == Registration.Status.WAITING
    assert [message.to for message in mail.outbox] == [[waiting.email]]


def test_raising_the_capacity_promotes_the_waiting_list_in_order():
    event = open_event(capacity=1)
    RegistrationFactory(event=event)
    now = timezone.now()
    late = RegistrationFactory(event=event, status=Registration.Status.WAITING, waiting_since=now)
    early = RegistrationFactory(
        event=event,
        status=Registration.Status.WAITING,
        waiting_since=now - datetime.timedelta(hours=1),
    )
    Event.objects.filter(pk=event.pk).update(capacity=2)
    event.refresh_from_db()

    promoted = waitlist_promote(event=event)

    assert promoted == [early]
    late.refresh_from_db()
    assert late.status == Registration.Status.WAITING
    (message,) = mail.outbox
    assert message.to == [early.email]
    calendar_attachment(message)


def test_an_event_without_limit_confirms_everyone(client):
    event = open_event(capacity=None)
    for number in range(3):
        assert (
            register_and_confirm(client, event, email=f"p{number}@example.org").status
            == Registration.Status.CONFIRMED
        )


def test_cancelling_after_the_event_is_refused(client):
    event = open_event()
    registration = RegistrationFactory(event=event)
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() - datetime.timedelta(days=2),
        end=timezone.now() - datetime.timedelta(days=1),
    )
    response = client.post(registration_cancel_url(registration))
    assert response.context["state"] == "over"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


# --- When registration is not possible --------------------------------------------------------


@pytest.mark.parametrize("reason", ["deadline", "disabled", "cancelled"])
def test_closed_registration_says_why_and_stores_nothing(client, reason):
    fields = {
        "deadline": {"registration_deadline": timezone.now() - datetime.timedelta(hours=1)},
        "disabled": {"registration_enabled": False},
        "cancelled": {"status": Event.Status.CANCELLED},
    }[reason]
    event = open_event(**fields)
    page = client.get(register_url(event))
    assert page.status_code == 200
    assertNotContains(page, 'name="email"')

    response = register(client, event)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assertContains(response, 'value="Erika Beispiel"')  # what was typed is kept
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_a_draft_has_no_registration_page(client):
    event = open_event(status=Event.Status.DRAFT)
    assert client.get(register_url(event)).status_code == 404
    assert register(client, event).status_code == 404
    assert not Registration.objects.exists()


# --- The same address twice -------------------------------------------------------------------


def test_registering_an_address_twice_answers_alike_and_reminds_by_mail(client):
    event = open_event()
    first = register(client, event)
    register_and_confirm_path = link(CONFIRM_LINK, mail.outbox[0])
    client.post(register_and_confirm_path)
    mail.outbox.clear()

    second = register(client, event, email="ERIKA@example.org", name="Jemand anderes")

    assert second.status_code == first.status_code == 302
    assert second["Location"] == first["Location"]
    assert Registration.objects.count() == 1
    (message,) = mail.outbox
    assert message.to == ["erika@example.org"]  # the address that is registered
    link(CANCEL_LINK, message)
    assert not CONFIRM_LINK.search(message.body)


def test_registering_again_before_confirming_sends_the_link_again(client):
    event = open_event()
    register(client, event)
    register(client, event)
    assert Registration.objects.count() == 1
    assert len(mail.outbox) == 2
    client.post(link(CONFIRM_LINK, mail.outbox[1]))
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_after_cancelling_one_may_register_again(client):
    event = open_event()
    registration = register_and_confirm(client, event)
    registration_cancel(registration=registration)
    register_and_confirm(client, event)
    assert event.registrations.active().count() == 1
    assert event.registrations.count() == 2


# --- Logged-in people -------------------------------------------------------------------------


@pytest.fixture
def member():
    user = UserFactory(username="erika", first_name="Erika", last_name="Beispiel")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_one_click_for_a_logged_in_person(client, member):
    event = open_event(capacity=5)
    client.force_login(member)
    page = client.get(event.get_absolute_url())
    assertContains(page, f'action="/veranstaltungen/{event.slug}/anmelden/konto/"')

    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/konto/")

    assertRedirects(response, event.get_absolute_url())
    registration = Registration.objects.get()
    assert registration.user == member
    assert registration.name == "Erika Beispiel"
    assert registration.status == Registration.Status.CONFIRMED
    (message,) = mail.outbox
    calendar_attachment(message)
    link(CANCEL_LINK, message)
    page = client.get(event.get_absolute_url())
    assert page.context["registration"]["own"] == registration
    assertContains(page, registration_cancel_url(registration))
    assertNotContains(page, f'action="/veranstaltungen/{event.slug}/anmelden/konto/"')

    # A second click registers nothing new and sends nothing.
    client.post(f"/veranstaltungen/{event.slug}/anmelden/konto/")
    assert Registration.objects.count() == 1
    assert len(mail.outbox) == 1


def test_one_click_on_a_full_event_joins_the_waiting_list(client, member):
    event = open_event(capacity=1)
    RegistrationFactory(event=event)
    client.force_login(member)
    client.post(f"/veranstaltungen/{event.slug}/anmelden/konto/")
    assert Registration.objects.get(user=member).status == Registration.Status.WAITING


def test_one_click_needs_a_login_and_a_post(client):
    event = open_event()
    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/konto/")
    assert response.status_code == 302
    assert "/konto/" in response["Location"]
    assert client.get(f"/veranstaltungen/{event.slug}/anmelden/konto/").status_code == 405
    assert not Registration.objects.exists()


def test_an_unverified_address_goes_through_the_opt_in(client):
    user = UserFactory(username="neu")
    client.force_login(user)
    event = open_event()
    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/konto/")
    assertRedirects(response, f"/veranstaltungen/{event.slug}/anmelden/gesendet/")
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.UNCONFIRMED
    assert registration.user is None
    assert CONFIRM_LINK.search(mail.outbox[0].body)


def test_the_form_of_a_logged_in_person_is_prefilled_and_places_at_once(client, member):
    event = open_event()
    client.force_login(member)
    page = client.get(register_url(event))
    assertContains(page, 'value="erika@example.org"')
    response = register(client, event, email="erika@example.org")
    assertRedirects(response, event.get_absolute_url())
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_the_form_with_another_address_asks_that_address_to_confirm(client, member):
    event = open_event()
    client.force_login(member)
    register(client, event, email="kollegin@example.org")
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.UNCONFIRMED
    assert registration.user is None
    assert mail.outbox[0].to == ["kollegin@example.org"]


# --- English ----------------------------------------------------------------------------------


def test_an_english_registration_gets_english_links(client):
    event = open_event()
    client.post(f"/en{register_url(event)}", form_data())
    registration = Registration.objects.get()
    assert registration.language == "en"
    confirm_path = link(CONFIRM_LINK, mail.outbox[0])
    assert confirm_path.startswith("/en/veranstaltungen/anmeldung/")
    client.post(confirm_path)
    calendar = calendar_attachment(mail.outbox[-1])
    (vevent,) = calendar.walk("VEVENT")
    assert "/en/veranstaltungen/" in str(vevent["url"])


# --- Abuse and odd input ----------------------------------------------------------------------


def test_a_filled_honeypot_looks_like_success_but_stores_and_sends_nothing(client):
    event = open_event()
    response = register(client, event, **{HONEYPOT_FIELD: "http://spam.example"})
    assertRedirects(response, f"/veranstaltungen/{event.slug}/anmelden/gesendet/")
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_rate_limit_per_client_address_keeps_the_input(client, settings):
    settings.FORM_RATE_LIMIT_PER_HOUR = 2
    event = open_event()
    for number in range(2):
        assert register(client, event, email=f"p{number}@example.org").status_code == 302
    response = register(client, event, email="p9@example.org", name="Dritter Versuch")
    assert response.status_code == 429
    assertContains(response, 'value="Dritter Versuch"', status_code=429)
    assertContains(response, 'value="p9@example.org"', status_code=429)
    assert response.context["form"].non_field_errors()
    assert Registration.objects.count() == 2


def test_rate_limit_per_e_mail_address(client, settings):
    settings.FORM_RATE_LIMIT_PER_HOUR = 100
    events = [open_event(title=f"Treffen {number}") for number in range(4)]
    for event in events[:3]:
        assert register(client, event).status_code == 302
    response = register(client, events[3])
    assert response.status_code == 429
    assert response.context["form"].errors["email"]
    assert len(mail.outbox) == 3


def test_a_form_sent_too_quickly_is_shown_again(client, settings):
    settings.FORM_MIN_FILL_SECONDS = 3
    event = open_event()
    page = client.get(register_url(event))
    stamp = page.context["form"]["form_shown"].value()
    response = client.post(register_url(event), form_data(form_shown=stamp))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assertContains(response, 'value="Erika Beispiel"')
    assert not Registration.objects.exists()

    # Without the time stamp (a bot that drops hidden fields) it is refused too.
    response = client.post(register_url(event), form_data())
    assert response.context["form"].non_field_errors()
    assert not Registration.objects.exists()


def test_consent_to_the_privacy_notice_is_required(client):
    event = open_event()
    data = form_data()
    del data["privacy_consent"]
    response = client.post(register_url(event), data)
    assert response.status_code == 200
    assert response.context["form"].errors["privacy_consent"]
    assertContains(response, 'value="erika@example.org"')
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "x" * 100_000},
        {"name": "Erika\x00Beispiel"},
        {"email": "erika\x00@example.org"},
        {"email": "kein-at-zeichen"},
        {"email": "a" * 300 + "@example.org"},
        {"organisation": "O" * 201},
        {"accessibility_needs": "A" * 1001},
        {"name": "", "email": ""},
        {"name": "   "},
        {"name": ["zwei", "Werte"]},
        {"privacy_consent": "\x00"},
        {"name": "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")},
        {"form_shown": "\x00" * 10},
    ],
)
def test_odd_input_is_shown_again_never_an_error(client, fields):
    event = open_event(asks_dietary_notes=True)
    response = register(client, event, **fields)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
        assertContains(response, 'class="kern-alert kern-alert--danger portal-form-errors"')


def test_long_input_is_kept_on_error(client):
    event = open_event()
    long_name = "Ü" * 200
    response = register(client, event, name=long_name)
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assertContains(response, f'value="{long_name}"')


def test_odd_but_valid_input_is_stored_as_typed(client):
    event = open_event(asks_dietary_notes=True)
    register(
        client,
        event,
        name='=HYPERLINK("http://evil")',
        organisation="<script>alert(1)</script>",
        dietary_notes="vegan 🌱\nkeine Nüsse",
    )
    registration = Registration.objects.get()
    assert registration.name.startswith("=HYPERLINK")
    assert registration.dietary_notes == "vegan 🌱\nkeine Nüsse"
    assert "<script>" not in mail.outbox[0].alternatives[0][0]


def test_answers_to_questions_the_event_does_not_ask_are_not_stored(client):
    event = open_event(asks_accessibility_needs=False, asks_dietary_notes=False)
    register(client, event, accessibility_needs="geheim", dietary_notes="geheim")
    registration = Registration.objects.get()
    assert registration.accessibility_needs == registration.dietary_notes == ""


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, method):
    event = open_event()
    assert getattr(client, method)(register_url(event)).status_code == 405


# --- The event's page -------------------------------------------------------------------------


def test_event_page_shows_places_left(client):
    event = open_event(capacity=3)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.UNCONFIRMED)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    response = client.get(event.get_absolute_url())
    overview = response.context["registration"]
    assert overview["is_open"]
    assert overview["places_left"] == 2
    assertContains(response, 'id="registration-title"')
    assertContains(response, f'href="{register_url(event)}"')


def test_event_page_of_a_full_event_offers_the_waiting_list(client):
    event = open_event(capacity=1)
    RegistrationFactory(event=event)
    response = client.get(event.get_absolute_url())
    assert response.context["registration"]["is_full"]
    assertContains(response, f'href="{register_url(event)}"')


def test_event_page_after_the_deadline(client):
    event = open_event(registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    response = client.get(event.get_absolute_url())
    assert not response.context["registration"]["is_open"]
    assertContains(response, 'id="registration-title"')
    assertNotContains(response, f'href="{register_url(event)}"')


def test_event_page_without_registration_has_no_section(client):
    event = open_event(registration_enabled=False)
    response = client.get(event.get_absolute_url())
    assert response.context["registration"] is None
    assertNotContains(response, 'id="registration-title"')


def test_the_sent_page(client):
    event = open_event()
    response = client.get(f"/veranstaltungen/{event.slug}/anmelden/gesendet/")
    assert response.status_code == 200
    assertContains(response, event.title)


# --- Retention and account deletion -----------------------------------------------------------


def test_delete_unconfirmed_older_than():
    event = open_event()
    old = RegistrationFactory(event=event, status=Registration.Status.UNCONFIRMED)
    Registration.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    fresh = RegistrationFactory(event=event, status=Registration.Status.UNCONFIRMED)
    confirmed = RegistrationFactory(event=event)
    Registration.objects.filter(pk=confirmed.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )

    deleted = registrations_delete_unconfirmed(
        older_than=timezone.now() - datetime.timedelta(days=7)
    )

    assert deleted == 1
    assert set(Registration.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}


def test_anonymise_registrations_of_past_events(member):
    long_ago = EventFactory(
        start=timezone.now() - datetime.timedelta(days=400),
        end=timezone.now() - datetime.timedelta(days=400) + datetime.timedelta(hours=3),
    )
    recent = EventFactory(
        start=timezone.now() - datetime.timedelta(days=10),
        end=timezone.now() - datetime.timedelta(days=10) + datetime.timedelta(hours=3),
    )
    old = RegistrationFactory(
        event=long_ago, user=member, organisation="Verein", accessibility_needs="Rampe"
    )
    RegistrationFactory(event=long_ago, status=Registration.Status.CANCELLED)
    kept = RegistrationFactory(event=recent)

    count = registrations_anonymise_past(ended_before=timezone.now() - datetime.timedelta(days=365))

    assert count == 2
    old.refresh_from_db()
    assert (old.name, old.email, old.organisation, old.accessibility_needs) == ("", "", "", "")
    assert old.user is None
    assert old.anonymised_at is not None
    assert old.status == Registration.Status.CONFIRMED  # the counts stay
    kept.refresh_from_db()
    assert kept.email
    # Running again changes nothing more.
    assert registrations_anonymise_past(ended_before=timezone.now()) == 1


def test_remove_personal_data_of_an_account(member):
    upcoming = open_event(capacity=1)
    mine = RegistrationFactory(event=upcoming, user=member, email=member.email)
    waiting = RegistrationFactory(
        event=upcoming, status=Registration.Status.WAITING, waiting_since=timezone.now()
    )
    past = EventFactory(
        start=timezone.now() - datetime.timedelta(days=30),
        end=timezone.now() - datetime.timedelta(days=30) + datetime.timedelta(hours=2),
    )
    attended = RegistrationFactory(event=past, user=member, email=member.email)
    other = RegistrationFactory(event=past)

    count = registrations_remove_personal_data(user=member)

    assert count == 2
    mine.refresh_from_db()
    attended.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert attended.status == Registration.Status.CONFIRMED
    for registration in (mine, attended):
        assert registration.user is None
        assert registration.name == registration.email == ""
        assert registration.anonymised_at is not None
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert [message.to for message in mail.outbox] == [[waiting.email]]
    other.refresh_from_db()
    assert other.email
    assert not Registration.objects.of_user(member).exists()


def test_the_cancel_link_of_an_anonymised_registration_is_not_found(client, member):
    registration = RegistrationFactory(event=open_event(), user=member)
    registrations_remove_personal_data(user=member)
    assert client.get(registration_cancel_url(registration)).status_code == 404


# --- Services directly --------------------------------------------------------------------------


def test_create_refuses_a_closed_event_with_a_message():
    event = open_event(registration_deadline=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(ValidationError) as error:
        registration_create(event=event, name="Erika", email="erika@example.org")
    assert error.value.code == "closed"
    assert error.value.messages
    assert not Registration.objects.exists()


def test_confirm_twice_sends_one_mail():
    event = open_event()
    registration = registration_create(event=event, name="Erika", email="erika@example.org")
    registration_confirm(registration=registration)
    registration_confirm(registration=registration)
    assert len(mail.outbox) == 2  # the link, then the confirmation


@pytest.mark.usefixtures("mail_server_down")
def test_a_failing_mail_server_does_not_lose_the_registration(caplog):
    event = open_event()
    registration = registration_create(event=event, name="Erika", email="erika@example.org")
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert "registration_confirm_address" in caplog.text
