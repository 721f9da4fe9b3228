"""`manage.py purge_personal_data`: what is deleted, anonymised and kept, after which period."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from actors.models import Application
from events.models import Registration
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def _application(status, *, days_old):
    application = Application.objects.create(
        organisation_name=f"Verein {status} {days_old}",
        city="Leipzig",
        contact_name="Erika Musterfrau",
        email=f"{status}-{days_old}@example.org",
        offers="Räume",
        seeks="Partner",
        privacy_consent_at=timezone.now(),
        privacy_notice_version="v1",
        status=status,
        confirmed_at=None if status == Application.Status.UNCONFIRMED else timezone.now(),
    )
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    return application


def _registration(event, status, *, days_old=0, email=None):
    registration = Registration.objects.create(
        event=event,
        name="Max Mustermann",
        email=email or f"{status}-{event.pk}-{days_old}@example.org",
        organisation="Beispiel e. V.",
        accessibility_needs="Rollstuhlplatz",
        privacy_consent_at=timezone.now(),
        privacy_notice_version="v1",
        status=status,
        confirmed_at=None if status == Registration.Status.UNCONFIRMED else timezone.now(),
    )
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    return registration


def _purge() -> str:
    output = io.StringIO()
    call_command("purge_personal_data", stdout=output)
    return output.getvalue()


def test_unconfirmed_entries_older_than_the_period_are_deleted_younger_ones_stay(settings):
    settings.RETENTION_UNCONFIRMED_DAYS = 7
    upcoming = EventFactory(start=timezone.now() + datetime.timedelta(days=30))
    old_application = _application(Application.Status.UNCONFIRMED, days_old=8)
    new_application = _application(Application.Status.UNCONFIRMED, days_old=6)
    confirmed_application = _application(Application.Status.PENDING, days_old=30)
    old_registration = _registration(upcoming, Registration.Status.UNCONFIRMED, days_old=8)
    new_registration = _registration(upcoming, Registration.Status.UNCONFIRMED, days_old=6)
    confirmed_registration = _registration(upcoming, Registration.Status.CONFIRMED, days_old=30)

    output = _purge()

    assert not Application.objects.filter(pk=old_application.pk).exists()
    assert set(Application.objects.values_list("pk", flat=True)) == {
        new_application.pk,
        confirmed_application.pk,
    }
    assert not Registration.objects.filter(pk=old_registration.pk).exists()
    assert set(Registration.objects.values_list("pk", flat=True)) == {
        new_registration.pk,
        confirmed_registration.pk,
    }
    assert "1 unconfirmed application" in output
    assert "1 unconfirmed registration" in output


def test_registrations_of_events_that_ended_over_a_year_ago_are_anonymised(settings):
    settings.RETENTION_REGISTRATIONS_DAYS = 365
    long_ago = EventFactory(start=timezone.now() - datetime.timedelta(days=400))
    recent = EventFactory(start=timezone.now() - datetime.timedelta(days=100))
    old = _registration(long_ago, Registration.Status.CONFIRMED)
    cancelled = _registration(long_ago, Registration.Status.CANCELLED)
    kept = _registration(recent, Registration.Status.CONFIRMED)

    output = _purge()

    for registration in (old, cancelled):
        registration.refresh_from_db()
        assert registration.anonymised_at is not None
        assert (registration.name, registration.email, registration.organisation) == ("", "", "")
        assert registration.accessibility_needs == ""
    # The counts of the old event stay as they were.
    assert long_ago.registrations.confirmed().count() == 1
    kept.refresh_from_db()
    assert kept.name == "Max Mustermann" and kept.anonymised_at is None
    assert "anonymised 2 registration" in output

    # Running it again changes nothing more.
    assert "anonymised 0 registration" in _purge()
