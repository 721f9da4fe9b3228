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


# --- Decided applications, unverified accounts, the change log and version history ------------


def _decided(status, *, days_ago):
    application = _application(status, days_old=days_ago + 30)
    Application.objects.filter(pk=application.pk).update(
        reviewed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return application


def test_decided_applications_lose_the_contact_person_after_the_period(settings):
    settings.RETENTION_DECIDED_APPLICATIONS_DAYS = 365
    approved = _decided(Application.Status.APPROVED, days_ago=366)
    rejected = _decided(Application.Status.REJECTED, days_ago=400)
    recent = _decided(Application.Status.APPROVED, days_ago=300)
    pending = _application(Application.Status.PENDING, days_old=500)

    output = _purge()

    for application in (approved, rejected):
        application.refresh_from_db()
        assert (application.contact_name, application.email, application.phone) == ("", "", "")
        assert application.personal_data_removed_at is not None
        assert application.organisation_name  # what staff need about the organisation stays
    for application in (recent, pending):
        application.refresh_from_db()
        assert application.contact_name == "Erika Musterfrau"
        assert application.personal_data_removed_at is None
    assert "2 decided application" in output
    assert "0 decided application" in _purge()


def test_accounts_never_verified_are_deleted_after_seven_days(settings):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from tests.factories import UserFactory

    settings.RETENTION_UNVERIFIED_ACCOUNTS_DAYS = 7
    User = get_user_model()

    def account(email, *, verified, days_old, **fields):
        user = UserFactory(email=email, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        User.objects.filter(pk=user.pk).update(
            date_joined=timezone.now() - datetime.timedelta(days=days_old)
        )
        return user

    never_verified = account("vergessen@example.org", verified=False, days_old=8)
    young = account("neu@example.org", verified=False, days_old=6)
    verified = account("bestaetigt@example.org", verified=True, days_old=400)
    staff = account("team@example.org", verified=False, days_old=30, is_staff=True, mfa_ready=False)

    output = _purge()

    assert not User.objects.filter(pk=never_verified.pk).exists()
    assert not EmailAddress.objects.filter(email="vergessen@example.org").exists()
    assert set(User.objects.values_list("pk", flat=True)) >= {young.pk, verified.pk, staff.pk}
    assert "deleted 1 unverified account" in output


def _log(obj, message="[]"):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import UserFactory

    return LogEntry.objects.create(
        user=UserFactory(is_staff=True, mfa_ready=False),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        action_flag=CHANGE,
        change_message=message,
    )


def test_the_change_log_keeps_no_personal_data_of_purged_records(settings):
    from django.contrib.admin.models import LogEntry

    settings.RETENTION_REGISTRATIONS_DAYS = 365
    settings.RETENTION_DECIDED_APPLICATIONS_DAYS = 365
    long_ago = EventFactory(start=timezone.now() - datetime.timedelta(days=400))
    recent = EventFactory(start=timezone.now() - datetime.timedelta(days=10))
    old = _registration(long_ago, Registration.Status.CONFIRMED, email="max@example.org")
    kept = _registration(recent, Registration.Status.CONFIRMED, email="moritz@example.org")
    unconfirmed = _application(Application.Status.UNCONFIRMED, days_old=8)
    decided = _decided(Application.Status.REJECTED, days_ago=400)
    old_entry = _log(old, "Max Mustermann hat angerufen")
    kept_entry = _log(kept)
    unconfirmed_entry = _log(unconfirmed)
    decided_entry = _log(decided, "Erika Musterfrau: abgelehnt")

    _purge()

    old_entry.refresh_from_db()
    assert "Mustermann" not in old_entry.object_repr + old_entry.change_message
    assert old_entry.object_repr == "anonymisierte Anmeldung"
    kept_entry.refresh_from_db()
    assert kept_entry.object_repr == "Max Mustermann"  # still within the period
    assert not LogEntry.objects.filter(pk=unconfirmed_entry.pk).exists()
    decided_entry.refresh_from_db()
    assert "Musterfrau" not in decided_entry.change_message


def test_versions_of_purged_records_are_deleted(settings):
    import reversion
    from reversion.models import Version

    settings.RETENTION_REGISTRATIONS_DAYS = 365
    long_ago = EventFactory(start=timezone.now() - datetime.timedelta(days=400))
    registration = _registration(long_ago, Registration.Status.CONFIRMED)
    registered = reversion.is_registered(Registration)
    if not registered:
        reversion.register(Registration)
    try:
        with reversion.create_revision():
            registration.save()
        assert Version.objects.get_for_object(registration).exists()

        _purge()

        assert not Version.objects.get_for_object(registration).exists()
    finally:
        if not registered:
            reversion.unregister(Registration)
