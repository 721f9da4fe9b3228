"""Writes around an actor's contact persons ("Ansprechpersonen", ``ActorContact``).

A person's account becomes a contact in two ways: staff approve an application the person sent
while logged in with a verified address (``actors.services.application_approve`` calls
``contact_from_application``), or staff invite an address from the actor's admin page and the
person accepts the invitation with an account that has that address, verified.

The link of an invitation is signed (``quartier.tokens``, a purpose of its own, so a token of
another link cannot stand in for it) and expires after ``settings.CONTACT_INVITATION_DAYS``;
that it was used already the invitation row says (``accepted_at``). Staff revoke an invitation
by deleting it: its link then names nothing. The e-mail leaves after the commit
(``quartier.mail.send_after_commit``).

Changes that do not pass through an admin form are recorded in the admin's change log of the
actor (``LogEntry``) by the person who made them; the messages name no person, so the change log
keeps no personal data.
"""

import reversion
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from quartier.links import absolute_url
from quartier.mail import send_after_commit
from quartier.tokens import InvalidToken, object_from_token, token_for

from .models import Actor, ActorContact, ContactInvitation

INVITATION_PURPOSE = "contact-invitation"

ALREADY_ACCEPTED_MESSAGE = _("This invitation has been accepted already.")
ADDRESS_NEEDED_MESSAGE = _(
    "This invitation is for the e-mail address %(address)s. Please log in with the account "
    "that has this address, or add the address to your account and confirm it; then open the "
    "link again."
)
ALREADY_CONTACT_MESSAGE = _("The account with this address is a contact person of it already.")
ACCEPTED_LOG_MESSAGE = _("Became a contact person by accepting an invitation.")
LEFT_LOG_MESSAGE = _("A contact person left.")
REMOVED_LOG_MESSAGE = _("A contact person was removed.")


def masked_email(email: str) -> str:
    """``nora.neumann@example.org`` -> ``n…n@example.org``: enough for the person to recognise
    their address, too little for a stranger holding the link to learn it."""
    local, _at, domain = email.partition("@")
    if len(local) <= 2:
        shown = f"{local[:1]}…"
    else:
        shown = f"{local[0]}…{local[-1]}"
    return f"{shown}@{domain}" if domain else shown


def has_verified_address(user, email: str | None = None) -> bool:
    """Whether ``user`` has a verified address (``email``, whatever its case, if given)."""
    addresses = EmailAddress.objects.filter(user=user, verified=True)
    if email is not None:
        addresses = addresses.filter(email__iexact=email)
    return addresses.exists()


def _log(*, actor: Actor, user, message) -> None:
    """An entry in the actor's change log (the start page's recent changes) and a version in
    its history with ``user`` and ``message``, in the site's language, as a list action of the
    admin records itself (``quartier.admin_history.log_list_action``)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(text)
        if reversion.is_registered(Actor):
            reversion.add_to_revision(actor)
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[actor],
        action_flag=CHANGE,
        change_message=text,
        single_object=True,
    )


# --- By approval ------------------------------------------------------------------------------


def contact_from_application(*, actor: Actor, application) -> ActorContact | None:
    """The sender of an approved application becomes the new actor's contact, if they sent it
    logged in and their account has a verified address; else nobody does. Call it inside the
    approval's transaction."""
    user = application.user
    if user is None or not has_verified_address(user):
        return None
    contact, _created = ActorContact.objects.get_or_create(
        actor=actor, user=user, defaults={"source": ActorContact.Source.APPLICATION}
    )
    return contact


# --- By invitation ----------------------------------------------------------------------------


def invitation_token(*, invitation: ContactInvitation) -> str:
    return token_for(INVITATION_PURPOSE, invitation.pk)


def invitation_url(*, invitation: ContactInvitation, language: str = "de") -> str:
    """The absolute address of the invitation's page, for the e-mail."""
    with translation.override(language):
        path = reverse(
            "organisation:invitation", kwargs={"token": invitation_token(invitation=invitation)}
        )
    return absolute_url(path)


def invitation_from_token(*, token: str) -> ContactInvitation | None:
    """The open invitation a genuine, unexpired link names, with its actor; None for a link
    that is forged, expired, already used or revoked (the page says as little as that)."""
    try:
        invitation = object_from_token(
            ContactInvitation.objects.select_related("actor"),
            purpose=INVITATION_PURPOSE,
            token=token,
            max_age_seconds=settings.CONTACT_INVITATION_DAYS * 24 * 3600,
        )
    except InvalidToken:
        return None
    if invitation is None or not invitation.is_open:
        return None
    return invitation


def invitation_create(*, actor: Actor, email: str, invited_by) -> ContactInvitation:
    """Invite ``email`` to become a contact person of ``actor`` and send the link after the
    commit. An open invitation of the same address to the same actor is replaced, so that only
    the newest link works. Raises ValidationError for an invalid address, or one whose account
    is a contact of the actor already."""
    email = email.strip()
    invitation = ContactInvitation(actor=actor, email=email, invited_by=invited_by)
    invitation.full_clean(exclude=["invited_by"])
    already = ActorContact.objects.filter(
        actor=actor,
        user__emailaddress__email__iexact=email,
        user__emailaddress__verified=True,
    )
    if already.exists():
        raise ValidationError(ALREADY_CONTACT_MESSAGE, code="already_contact")
    with transaction.atomic():
        actor.invitations.open().filter(email__iexact=email).delete()
        invitation.save()
        _send_invitation(invitation)
    return invitation


def _send_invitation(invitation: ContactInvitation) -> None:
    # The portal's language: the address may belong to someone without an account yet.
    language = settings.LANGUAGE_CODE
    send_after_commit(
        to=invitation.email,
        template="contact_invitation",
        context={
            "actor": invitation.actor,
            "invitation_url": invitation_url(invitation=invitation, language=language),
            "days": settings.CONTACT_INVITATION_DAYS,
        },
        language=language,
    )


def invitation_accept(*, invitation: ContactInvitation, user) -> ActorContact:
    """``user`` accepts the invitation and becomes a contact person of its actor.

    Needs a verified address of the account equal (whatever its case) to the invited one.
    Raises ValidationError (code ``accepted``) for an invitation used already, or (code
    ``address``) for an account without that address verified; then nothing changes.
    """
    with transaction.atomic():
        locked = (
            ContactInvitation.objects.select_for_update()
            .select_related("actor")
            .filter(pk=invitation.pk)
            .first()
        )
        if locked is None or not locked.is_open:
            raise ValidationError(ALREADY_ACCEPTED_MESSAGE, code="accepted")
        if not has_verified_address(user, locked.email):
            raise ValidationError(
                ADDRESS_NEEDED_MESSAGE,
                code="address",
                params={"address": masked_email(locked.email)},
            )
        contact, _created = ActorContact.objects.get_or_create(
            actor=locked.actor, user=user, defaults={"source": ActorContact.Source.INVITATION}
        )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
        _log(actor=locked.actor, user=user, message=ACCEPTED_LOG_MESSAGE)
    invitation.accepted_at, invitation.accepted_by = locked.accepted_at, user
    return contact


def invitation_revoke(*, invitation: ContactInvitation) -> None:
    """Staff take an open invitation back: its link names nothing any more."""
    invitation.delete()


def invitations_delete_expired(*, invited_before) -> int:
    """Invitations sent before ``invited_before`` and never accepted: their links have
    expired, and the address they hold is no longer needed (``manage.py purge_personal_data``).
    Returns how many were deleted."""
    deleted, _per_model = (
        ContactInvitation.objects.open().filter(created_at__lt=invited_before).delete()
    )
    return deleted


# --- Removing ---------------------------------------------------------------------------------


def contact_remove(*, contact: ActorContact, by) -> None:
    """End the membership: the person is no longer a contact person of the actor, and the
    actor's change log says so under ``by`` (the person leaving, or who removed them). Staff
    remove contacts in the admin's inline on the actor's page, which logs its own change."""
    with transaction.atomic():
        actor = contact.actor
        leaving = contact.user_id == by.pk
        contact.delete()
        _log(actor=actor, user=by, message=LEFT_LOG_MESSAGE if leaving else REMOVED_LOG_MESSAGE)
