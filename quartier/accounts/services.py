"""Writes and exports around a person's account (the pages under /konto/).

The data of other apps is reached through their queryset verbs and services only.
"""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from actors import services as actor_services
from actors.models import ActorContact, Application, ContactInvitation
from events import services as event_services
from events.models import Registration

EXPORT_FORMAT_VERSION = 1


def _when(value: datetime.datetime | None) -> str | None:
    """A moment in Berlin time, ISO 8601 with its offset: readable for people and programs."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _registration_export(registration: Registration) -> dict:
    event = registration.event
    return {
        "event": {
            "title": event.title,
            "start": _when(event.start),
            "end": _when(event.end),
        },
        "name": registration.name,
        "email": registration.email,
        "organisation": registration.organisation,
        "accessibility_needs": registration.accessibility_needs,
        "dietary_notes": registration.dietary_notes,
        "status": registration.get_status_display(),
        "language": registration.language,
        "privacy_notice_accepted_at": _when(registration.privacy_consent_at),
        "privacy_notice_version": registration.privacy_notice_version,
        "registered_at": _when(registration.created_at),
        "email_confirmed_at": _when(registration.confirmed_at),
        "waiting_list_since": _when(registration.waiting_since),
        "cancelled_at": _when(registration.cancelled_at),
    }


def _application_export(application: Application) -> dict:
    return {
        "organisation": application.organisation_name,
        "sector": application.sector.name if application.sector else None,
        "city": application.city,
        "website": application.website,
        "contact_person": application.contact_name,
        "email": application.email,
        "phone": application.phone,
        "offers": application.offers,
        "seeks": application.seeks,
        "topics": application.topics,
        "language": application.language,
        "privacy_notice_accepted_at": _when(application.privacy_consent_at),
        "privacy_notice_version": application.privacy_notice_version,
        "status": application.get_status_display(),
        "sent_at": _when(application.created_at),
        "email_confirmed_at": _when(application.confirmed_at),
        "decided_at": _when(application.reviewed_at),
    }


def _membership_export(contact: ActorContact) -> dict:
    return {
        "actor": contact.actor.name,
        "since": _when(contact.created_at),
        "how": contact.get_source_display(),
    }


def _invitation_export(invitation: ContactInvitation) -> dict:
    return {
        "actor": invitation.actor.name,
        "email": invitation.email,
        "invited_at": _when(invitation.created_at),
        "accepted_at": _when(invitation.accepted_at),
    }


def verified_addresses(user) -> list[str]:
    """The addresses the person has shown to be theirs: what they sent from one of them is
    theirs, also before they had the account."""
    return list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )


def account_data_export(*, user) -> dict:
    """Everything the portal stores about the person with this account, ready for JSON: also
    the registrations and applications sent without an account from a verified address.

    Statuses are given in the active language; moments in Berlin time with their offset.
    """
    emails = verified_addresses(user)
    registrations = Registration.objects.sent_by(user, emails=emails).for_account()
    applications = Application.objects.sent_by(user, emails=emails).select_related("sector")
    email_addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _when(timezone.now()),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in email_addresses
        ],
        "registrations": [_registration_export(registration) for registration in registrations],
        "applications": [_application_export(application) for application in applications],
        # The organisations the person is a contact person of, and the invitations accepted.
        "contact_person_of": [
            _membership_export(contact) for contact in ActorContact.objects.of_user(user)
        ],
        "invitations_accepted": [
            _invitation_export(invitation)
            for invitation in ContactInvitation.objects.accepted_by_user(user)
        ],
    }


def account_delete(*, user) -> None:
    """Delete the account. The person's registrations (with the account, or without one from a
    verified address) are cancelled where still to come and anonymised; their applications stay
    for staff without the personal data; the e-mail addresses go with the account, and so do
    the memberships as contact person of actors and the invitations accepted (both CASCADE).
    """
    with transaction.atomic():
        emails = verified_addresses(user)
        event_services.registrations_remove_personal_data(user=user, emails=emails)
        actor_services.applications_remove_personal_data(user=user, emails=emails)
        user.delete()


def accounts_delete_unverified(*, joined_before: datetime.datetime) -> int:
    """Delete the accounts opened before ``joined_before`` whose address was never verified:
    signed up, never confirmed, never used. Staff accounts are left to the administrators.
    Returns how many were deleted."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    unverified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=False)
    accounts = (
        get_user_model()
        .objects.filter(date_joined__lt=joined_before, is_staff=False, is_superuser=False)
        .filter(Exists(unverified))
        .exclude(Exists(verified))
    )
    with transaction.atomic():
        count = 0
        for account in accounts:
            account_delete(user=account)
            count += 1
    return count
