"""Writes with side effects in the actors app: applications to join the initiative.

An application goes UNCONFIRMED -> PENDING (the sender confirmed the e-mail address through a
signed link) -> APPROVED or REJECTED (staff decided in the admin). Approving it creates an
unpublished actor draft that staff complete and publish.

E-mails are queued after the transaction commits, and a mail server that fails only delays
them (``quartier.mail.send_after_commit``).
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from quartier.content_version import changed_in_bulk
from quartier.links import absolute_url
from quartier.mail import send_after_commit
from quartier.retention import history_forget
from quartier.slugs import german_slugify
from quartier.tokens import InvalidToken, object_from_token, token_for

from .contacts import contact_from_application
from .models import (
    OFFER_TEXT_MAX_LENGTH,
    OFFER_TITLE_MAX_LENGTH,
    Actor,
    Application,
    OfferOrNeed,
    Sector,
)
from .offers import kind_of_text

CONFIRM_PURPOSE = "application-confirm"
# taggit's Tag.name holds 100 characters; more topics than this are left to staff.
TOPIC_MAX_LENGTH = 100
TOPICS_MAX = 20

NOT_PENDING_MESSAGE = _(
    "Only applications awaiting review can be approved or rejected. This one is: %(status)s."
)


def application_confirm_token(*, application: Application) -> str:
    """The signed token of the application's confirmation link."""
    return token_for(CONFIRM_PURPOSE, application.pk)


def application_from_token(*, token: str) -> Application | None:
    """The application a confirmation link names; None when it is gone.

    Raises ``quartier.tokens.InvalidToken`` for a forged link, or with ``expired`` set for a
    link older than ``settings.CONFIRMATION_LINK_HOURS`` whose application is still unconfirmed
    (an expired link of an application confirmed in time leads to it, to say so).
    """
    try:
        return object_from_token(
            Application.objects.select_related("sector"),
            purpose=CONFIRM_PURPOSE,
            token=token,
            max_age_seconds=settings.CONFIRMATION_LINK_HOURS * 3600,
        )
    except InvalidToken as error:
        application = error.instance
        # Genuine but old: a person clicking it again after confirming in time is told so.
        if application is None or application.status == Application.Status.UNCONFIRMED:
            raise
        return application


def split_topics(text: str) -> list[str]:
    """``"Wohnen, Kultur ,, wohnen"`` -> ``["Wohnen", "Kultur"]`` (spaces tidied,
    case-insensitive duplicates dropped)."""
    topics: list[str] = []
    seen: set[str] = set()
    for part in text.split(","):
        topic = " ".join(part.split())
        if topic and topic.casefold() not in seen:
            seen.add(topic.casefold())
            topics.append(topic)
    return topics


def application_submit(
    *,
    organisation_name: str,
    sector: Sector | None,
    city: str,
    website: str,
    contact_name: str,
    email: str,
    phone: str,
    offers: str,
    seeks: str,
    topics: str,
    user=None,
    language: str = "de",
) -> Application:
    """Store an application, with the consent to the current privacy notice, and queue the
    confirmation e-mail after the commit. It reaches staff only once the link in that e-mail is
    used. Raises ValidationError for invalid data."""
    application = Application(status=Application.Status.UNCONFIRMED)
    application.organisation_name = organisation_name
    application.sector = sector
    application.city = city
    application.website = website
    application.contact_name = contact_name
    application.email = email
    application.phone = phone
    application.offers = offers
    application.seeks = seeks
    application.topics = ", ".join(split_topics(topics))
    application.user = user if user is not None and user.is_authenticated else None
    application.language = language or "de"
    application.record_consent()
    application.full_clean()
    with transaction.atomic():
        application.save()
        _send_confirmation_mail(application)
    return application


def _send_confirmation_mail(application: Application) -> None:
    with translation.override(application.language):
        path = reverse(
            "applications:confirm",
            kwargs={"token": application_confirm_token(application=application)},
        )
    send_after_commit(
        to=application.email,
        template="application_confirm",
        context={
            "application": application,
            "confirm_url": absolute_url(path),
            "hours": settings.CONFIRMATION_LINK_HOURS,
        },
        language=application.language,
    )


def application_confirm(*, application: Application) -> bool:
    """The sender confirmed the e-mail address: the application joins the staff's queue.

    Idempotent: True if this call confirmed it, False if it was confirmed before.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != Application.Status.UNCONFIRMED:
            application.status, application.confirmed_at = locked.status, locked.confirmed_at
            return False
        locked.status = Application.Status.PENDING
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_at"])
        _tell_staff_awaiting_review(locked)
    application.status, application.confirmed_at = locked.status, locked.confirmed_at
    return True


def _tell_staff_awaiting_review(application: Application) -> None:
    """Staff's notice (``STAFF_NOTIFICATION_EMAILS``) that an application awaits review.

    It names the organisation and links to the application in the admin, but carries none of
    the contact person's data: a shared mailbox need not hold it, and the admin shows it to
    those allowed to see it.
    """
    if not settings.STAFF_NOTIFICATION_EMAILS:
        return
    # The admin is German, whatever language the applicant confirmed in.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("admin:actors_application_change", args=[application.pk])
    send_after_commit(
        to=settings.STAFF_NOTIFICATION_EMAILS,
        template="application_waiting",
        context={"application": application, "admin_url": absolute_url(path)},
        language=settings.LANGUAGE_CODE,
    )


def _lock_pending(application: Application) -> Application:
    """The application, locked for the decision; refuses one that is not awaiting review."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.PENDING:
        raise ValidationError(
            NOT_PENDING_MESSAGE,
            code="not_pending",
            params={"status": locked.get_status_display()},
        )
    return locked


def _unique_actor_slug(name: str) -> str:
    base = german_slugify(name, max_length=70) or "akteur"
    slug, number = base, 2
    while Actor.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _draft_description(application: Application) -> str:
    """The draft's description in Markdown, from what the organisation brings and seeks.

    Content of the German directory, so German whatever language the applicant or the
    reviewer speaks (not interface text to translate); staff rewrite it before publishing.
    """
    return (
        f"**Was die Organisation einbringt**\n\n{application.offers}\n\n"
        f"**Was die Organisation sucht**\n\n{application.seeks}"
    )


def application_approve(
    *,
    application: Application,
    reviewer,
    note: str = "",
) -> Actor:
    """Approve an application awaiting review: create an unpublished actor draft from it, link
    it, and tell the applicant after the commit. Raises ValidationError for an application not
    awaiting review."""
    with transaction.atomic():
        locked = _lock_pending(application)
        actor = Actor(
            name=locked.organisation_name,
            slug=_unique_actor_slug(locked.organisation_name),
            sector=locked.sector,
            city=locked.city,
            website=locked.website,
            description=_draft_description(locked),
            role=Actor.Role.PARTICIPANT,
            is_published=False,
        )
        actor.save()
        # The form keeps to these limits; the cut guards against data from elsewhere.
        topics = [topic[:TOPIC_MAX_LENGTH] for topic in split_topics(locked.topics)][:TOPICS_MAX]
        if topics:
            actor.topics.add(*topics)
        offers_and_needs_from_application(application=locked, actor=actor, topics=topics)
        locked.status = Application.Status.APPROVED
        locked.actor = actor
        _set_review(locked, reviewer=reviewer, note=note)
        locked.save(update_fields=["status", "actor", "reviewed_at", "reviewed_by", "review_note"])
        contact = contact_from_application(actor=actor, application=locked)
        _tell_applicant(
            locked,
            "application_approved",
            # The page of the person's organisations (actors/organisation_urls.py,
            # "organisation:list"), where a contact keeps the profile current.
            organisation_url=absolute_url(reverse("organisation:list")) if contact else "",
        )
    _copy_review(locked, to=application)
    return actor


def _entry_title(text: str) -> str:
    """The first line of an answer, in a few words, as a title staff may rewrite."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return Truncator(" ".join(first_line.split())).chars(OFFER_TITLE_MAX_LENGTH)


def offers_and_needs_from_application(
    *, application: Application, actor: Actor, topics: list[str]
) -> list[OfferOrNeed]:
    """The answers "what the organisation brings" and "what it seeks" as the actor's first
    offer and need: unpublished, for staff to confirm in the admin. Their kind is read from the
    words where they name one, else "Sonstiges"; their topic is the application's, if it named
    exactly one. An empty answer makes no entry."""
    topic = actor.topics.filter(name__iexact=topics[0]).first() if len(topics) == 1 else None
    entries = []
    for direction, answer in (
        (OfferOrNeed.Direction.OFFER, application.offers),
        (OfferOrNeed.Direction.NEED, application.seeks),
    ):
        text = answer.strip()
        if not text:
            continue
        entry = OfferOrNeed(
            actor=actor,
            direction=direction,
            kind=kind_of_text(text),
            topic=topic,
            title=_entry_title(text),
            text=Truncator(text).chars(OFFER_TEXT_MAX_LENGTH),
            application=application,
            is_published=False,
        )
        entry.full_clean()
        entry.save()
        entries.append(entry)
    return entries


def application_reject(
    *,
    application: Application,
    reviewer,
    note: str = "",
) -> None:
    """Reject an application awaiting review and tell the applicant politely after the commit;
    the note stays with staff. Raises ValidationError for an application not awaiting review."""
    with transaction.atomic():
        locked = _lock_pending(application)
        locked.status = Application.Status.REJECTED
        _set_review(locked, reviewer=reviewer, note=note)
        locked.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])
        _tell_applicant(locked, "application_rejected")
    _copy_review(locked, to=application)


def _tell_applicant(application: Application, template: str, **context) -> None:
    """The decision by e-mail; an application whose personal data was removed has no address."""
    if application.email:
        send_after_commit(
            to=application.email,
            template=template,
            context={"application": application, **context},
            language=application.language,
        )


def _set_review(application: Application, *, reviewer, note: str) -> None:
    application.reviewed_at = timezone.now()
    application.reviewed_by = reviewer
    application.review_note = note or ""


def _copy_review(source: Application, *, to: Application) -> None:
    for field in ("status", "actor", "reviewed_at", "reviewed_by", "review_note"):
        setattr(to, field, getattr(source, field))


def applications_delete_unconfirmed(*, older_than: datetime) -> int:
    """Delete applications sent before ``older_than`` whose address was never confirmed."""
    with transaction.atomic():
        unconfirmed = Application.objects.unconfirmed().filter(created_at__lt=older_than)
        history_forget(unconfirmed, records_stay=False)
        deleted, _per_model = unconfirmed.delete()
    return deleted


_WITHOUT_PERSON = {"contact_name": "", "email": "", "phone": "", "user": None}


def _remove_personal_data(applications) -> int:
    history_forget(applications, records_stay=True)
    return changed_in_bulk(
        applications.update(**_WITHOUT_PERSON, personal_data_removed_at=timezone.now())
    )


def applications_anonymise_decided(*, decided_before: datetime) -> int:
    """Applications approved or rejected before ``decided_before`` lose the contact person's
    data; the organisation, the decision and who took it stay for staff. Returns how many."""
    with transaction.atomic():
        decided = Application.objects.filter(
            status__in=[Application.Status.APPROVED, Application.Status.REJECTED],
            reviewed_at__lt=decided_before,
            personal_data_removed_at__isnull=True,
        )
        return _remove_personal_data(decided)


def applications_remove_personal_data(*, user, emails=()) -> int:
    """Before an account is deleted: the person's applications (``Application.objects.sent_by``,
    with ``emails`` the account's verified addresses) lose the contact person's data and the
    link to the account; what staff need about the organisation stays. Unconfirmed ones, which
    never reached staff, are deleted. Returns the number of applications concerned."""
    with transaction.atomic():
        unconfirmed = Application.objects.sent_by(user, emails=emails).unconfirmed()
        history_forget(unconfirmed, records_stay=False)
        deleted, _per_model = unconfirmed.delete()
        anonymised = _remove_personal_data(Application.objects.sent_by(user, emails=emails))
    return deleted + anonymised
