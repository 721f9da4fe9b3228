"""E-mails leave only after the transaction commits, and a failing mail server loses nothing."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import transaction
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from actors.models import Application
from actors.services import application_submit
from events.models import Registration
from events.services import (
    registration_cancel,
    registration_cancel_url,
    registration_confirm_url,
    registration_create,
)
from quartier.accounts.services import account_delete
from quartier.mail import send_after_commit
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory


class Rollback(Exception):
    """Raised by a test to roll back the transaction it opened."""


def open_event(**fields):
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=21)
    return EventFactory(
        **{
            "start": start,
            "end": start + datetime.timedelta(hours=3),
            "registration_enabled": True,
            **fields,
        }
    )


def application_fields(**fields) -> dict:
    return {
        "organisation_name": "Verein Lindenau",
        "sector": None,
        "city": "Leipzig",
        "website": "",
        "contact_name": "Erika Mustermann",
        "email": "erika@lindenau.example",
        "phone": "",
        "offers": "Räume",
        "seeks": "Partner",
        "topics": "",
        **fields,
    }


@pytest.mark.django_db
def test_an_e_mail_waits_for_the_commit():
    with transaction.atomic():
        send_after_commit(to="erika@example.org", template="application_approved", context={})
        assert mail.outbox == []
    assert [message.to for message in mail.outbox] == [["erika@example.org"]]


@pytest.mark.django_db
def test_a_registration_that_is_rolled_back_sends_nothing():
    event = open_event()
    with pytest.raises(Rollback), transaction.atomic():
        registration_create(event=event, name="Erika", email="erika@example.org")
        raise Rollback
    assert not Registration.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_cancellation_that_is_rolled_back_tells_nobody_of_a_place():
    event = open_event(capacity=1)
    holder = RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=Registration.Status.WAITING, waiting_since=timezone.now()
    )
    with pytest.raises(Rollback), transaction.atomic():
        registration_cancel(registration=holder)
        raise Rollback
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITING
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_application_that_is_rolled_back_sends_nothing():
    with pytest.raises(Rollback), transaction.atomic():
        application_submit(**application_fields())
        raise Rollback
    assert not Application.objects.exists()
    assert mail.outbox == []


@pytest.fixture
def member_with_a_place():
    """A member holding the only place of an event, and a stranger waiting for it."""
    user = UserFactory(username="erika")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    event = open_event(capacity=1)
    RegistrationFactory(event=event, user=user, email=user.email)
    waiting = RegistrationFactory(
        event=event,
        email="wartend@example.org",
        status=Registration.Status.WAITING,
        waiting_since=timezone.now(),
    )
    return user, waiting


@pytest.mark.django_db(transaction=True)
def test_deleting_an_account_tells_the_person_moving_up_only_after_the_commit(
    member_with_a_place,
):
    user, waiting = member_with_a_place
    with transaction.atomic():
        account_delete(user=user)
        # The place is given inside the transaction; the e-mail waits for the commit.
        assert mail.outbox == []
    assert [message.to for message in mail.outbox] == [["wartend@example.org"]]
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_a_failed_account_deletion_tells_nobody(member_with_a_place):
    user, waiting = member_with_a_place
    user_pk = user.pk
    with pytest.raises(Rollback), transaction.atomic():
        account_delete(user=user)
        raise Rollback
    assert mail.outbox == []
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITING
    assert Registration.objects.confirmed().filter(user_id=user_pk).exists()


# --- A mail server that is down -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("mail_server_down")
def test_the_registration_form_answers_as_usual_and_keeps_the_registration(client, caplog):
    """The e-mail only waits (tests/quartier/test_mail_queue.py tries it again later)."""
    event = open_event()
    data = {"name": "Erika Beispiel", "email": "erika@example.org", "privacy_consent": "on"}

    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", data)

    assertRedirects(response, f"/veranstaltungen/{event.slug}/anmelden/gesendet/")
    (registration,) = Registration.objects.all()
    assert (registration.name, registration.status) == (
        "Erika Beispiel",
        Registration.Status.UNCONFIRMED,
    )
    assert mail.outbox == []
    assert "registration_confirm_address" in caplog.text


@pytest.mark.django_db
@pytest.mark.usefixtures("mail_server_down")
def test_confirming_and_cancelling_work_without_a_mail_server(client):
    event = open_event()
    registration = RegistrationFactory(
        event=event, status=Registration.Status.UNCONFIRMED, confirmed_at=None
    )

    response = client.post(registration_confirm_url(registration))
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED

    response = client.post(registration_cancel_url(registration))
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def _allauth_reset_mail(rf):
    from django.contrib.sessions.middleware import SessionMiddleware

    from quartier.accounts.adapter import AccountAdapter

    request = rf.get("/")
    SessionMiddleware(lambda request: None).process_request(request)
    context = {"password_reset_url": "/konto/passwort/", "user": None, "request": request}
    AccountAdapter(request).send_mail(
        "account/email/password_reset_key", "erika@example.org", context
    )


def test_allauths_own_e_mails_wait_for_the_commit(rf, db):
    from django.core import mail
    from django.db import transaction

    with transaction.atomic():
        _allauth_reset_mail(rf)
        assert mail.outbox == []
    assert [message.to for message in mail.outbox] == [["erika@example.org"]]


def test_a_refused_allauth_e_mail_is_logged_not_raised(rf, db, mail_server_down, caplog):
    _allauth_reset_mail(rf)
    assert any("password_reset_key" in record.getMessage() for record in caplog.records)
