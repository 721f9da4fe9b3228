"""Writes with side effects on events, and what the editors' checklist needs to know.

Registrations: see the section "Registrations" below for seat allocation, the waiting list,
signed links and e-mails.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Trim
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quartier.content_version import changed_in_bulk
from quartier.links import absolute_url
from quartier.mail import Attachment, send_after_commit
from quartier.media import DocumentInspection
from quartier.retention import history_forget
from quartier.tokens import token_for

from .models import Event, EventDocument, EventPhoto, Registration


@transaction.atomic
def documentation_publish(*, event: Event) -> bool:
    """Show the event's results, documents and photos to the public.

    The date of the first publication is kept when documentation is unpublished and published
    again: it orders the feed of new documentation, which should not announce an event twice.
    Returns whether anything changed.
    """
    if event.documentation_published and event.documentation_published_at:
        return False
    event.documentation_published = True
    if event.documentation_published_at is None:
        event.documentation_published_at = timezone.now()
    event.save(
        update_fields=["documentation_published", "documentation_published_at", "updated_at"]
    )
    return True


@transaction.atomic
def documentation_unpublish(*, event: Event) -> bool:
    """Hide the documentation again; returns whether anything changed."""
    if not event.documentation_published:
        return False
    event.documentation_published = False
    event.save(update_fields=["documentation_published", "updated_at"])
    return True


# --- The checklist ----------------------------------------------------------------------------

# Counts the checklist needs, as annotations so that a list of events costs one query: for each,
# the model counted per event and the condition. What was read from a document at upload
# (quartier/document_inspection.py) tells what a screen reader will miss; a document not yet
# inspected is not counted.
_INSPECTED_PDF = Q(file_type="pdf", inspection=DocumentInspection.INSPECTED)
CHECKLIST_COUNTS = {
    "checklist_documents": (EventDocument, Q()),
    "checklist_photos": (EventPhoto, Q()),
    "checklist_photos_without_credit": (EventPhoto, Q(credit="")),
    "checklist_photos_without_consent": (EventPhoto, Q(shows_people=True, people_consented=False)),
    "checklist_pdfs_untagged": (EventDocument, _INSPECTED_PDF & Q(is_tagged=False)),
    "checklist_pdfs_without_title": (EventDocument, _INSPECTED_PDF & Q(file_title="")),
    "checklist_pdfs_without_language": (EventDocument, _INSPECTED_PDF & Q(file_language="")),
    "checklist_pdfs_without_text": (EventDocument, _INSPECTED_PDF & Q(has_text=False)),
    "checklist_documents_unreadable": (
        EventDocument,
        Q(inspection=DocumentInspection.UNKNOWN),
    ),
}
# The counts that must be nought for the documentation to be complete (the others, of documents
# and photos, must not).
_CHECKLIST_PROBLEMS = [
    name for name in CHECKLIST_COUNTS if name not in ("checklist_documents", "checklist_photos")
]


def _count_per_event(model: type[models.Model], condition: Q):
    rows = (
        model.objects.filter(condition, event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)


def with_documentation_counts(queryset: models.QuerySet) -> models.QuerySet:
    """Events annotated with what ``documentation_checklist`` counts (subqueries, no joins)."""
    return queryset.annotate(
        **{
            name: _count_per_event(model, condition)
            for name, (model, condition) in CHECKLIST_COUNTS.items()
        }
    )


def documentation_incomplete(queryset: models.QuerySet) -> models.QuerySet:
    """Those of the events whose ``documentation_checklist`` is not empty, in one query.

    The same conditions as the checklist, asked of the database, so that a list of what still
    lacks something can be cut to its first rows whatever the number of events.
    """
    problems = Q()
    for name in _CHECKLIST_PROBLEMS:
        problems |= Q(**{f"{name}__gt": 0})
    return (
        with_documentation_counts(queryset)
        .annotate(checklist_results=Trim("results"))
        .filter(
            Q(checklist_results="") | Q(checklist_documents=0) | Q(checklist_photos=0) | problems
        )
    )


def events_lacking_documentation(now: datetime.datetime | None = None) -> models.QuerySet:
    """Public events that took place and whose documentation still lacks something, the most
    recent first, annotated with the checklist's counts."""
    return documentation_incomplete(Event.objects.past(now).filter(status=Event.Status.PUBLISHED))


@dataclass(frozen=True)
class MissingItem:
    """One thing the documentation of an event still lacks, in the active language."""

    key: str
    label: str  # a word or two, for the column of the event list
    text: str  # a sentence, for the event's page in the admin

    def __str__(self) -> str:
        return self.text


def _counts(event: Event) -> dict[str, int]:
    if all(hasattr(event, name) for name in CHECKLIST_COUNTS):
        return {name: getattr(event, name) for name in CHECKLIST_COUNTS}
    if event.pk is None:
        return dict.fromkeys(CHECKLIST_COUNTS, 0)
    return with_documentation_counts(Event.objects.filter(pk=event.pk)).values(*CHECKLIST_COUNTS)[0]


def documentation_checklist(event: Event) -> list[MissingItem]:
    """What the documentation of the event still lacks; empty when it is complete.

    Uses the counts of ``with_documentation_counts`` when the event carries them, else asks the
    database once.
    """
    counts = _counts(event)
    missing = []
    if not event.results.strip():
        missing.append(
            MissingItem("results", _("results"), _("The results of the event are not written."))
        )
    if not counts["checklist_documents"]:
        missing.append(
            MissingItem("documents", _("documents"), _("There is no document (report, slides)."))
        )
    if not counts["checklist_photos"]:
        missing.append(MissingItem("photos", _("photos"), _("There is no photo.")))
    if uncredited := counts["checklist_photos_without_credit"]:
        missing.append(
            MissingItem(
                "credits",
                ngettext("%(count)d credit", "%(count)d credits", uncredited)
                % {"count": uncredited},
                ngettext(
                    "%(count)d photo has no credit.", "%(count)d photos have no credit.", uncredited
                )
                % {"count": uncredited},
            )
        )
    if unconsented := counts["checklist_photos_without_consent"]:
        missing.append(
            MissingItem(
                "consent",
                ngettext("%(count)d consent", "%(count)d consents", unconsented)
                % {"count": unconsented},
                ngettext(
                    "%(count)d photo shows people who have not consented; it is not shown.",
                    "%(count)d photos show people who have not consented; they are not shown.",
                    unconsented,
                )
                % {"count": unconsented},
            )
        )
    missing.extend(_document_warnings(counts))
    return missing


def _document_warnings(counts: dict[str, int]) -> list[MissingItem]:
    """What the documents' files tell of their accessibility (read at upload)."""
    warnings = []
    if untagged := counts["checklist_pdfs_untagged"]:
        warnings.append(
            MissingItem(
                "untagged",
                ngettext("%(count)d untagged PDF", "%(count)d untagged PDFs", untagged)
                % {"count": untagged},
                ngettext(
                    "%(count)d PDF is not tagged: screen readers find no headings, lists or "
                    "reading order in it. Please export it again as a tagged PDF.",
                    "%(count)d PDFs are not tagged: screen readers find no headings, lists or "
                    "reading order in them. Please export them again as tagged PDFs.",
                    untagged,
                )
                % {"count": untagged},
            )
        )
    if untitled := counts["checklist_pdfs_without_title"]:
        warnings.append(
            MissingItem(
                "pdf_title",
                ngettext("%(count)d PDF without title", "%(count)d PDFs without title", untitled)
                % {"count": untitled},
                ngettext(
                    "%(count)d PDF has no title in its document properties: screen readers "
                    "and browsers announce its file name instead.",
                    "%(count)d PDFs have no title in their document properties: screen readers "
                    "and browsers announce their file names instead.",
                    untitled,
                )
                % {"count": untitled},
            )
        )
    if no_language := counts["checklist_pdfs_without_language"]:
        warnings.append(
            MissingItem(
                "pdf_language",
                ngettext(
                    "%(count)d PDF without language", "%(count)d PDFs without language", no_language
                )
                % {"count": no_language},
                ngettext(
                    "%(count)d PDF does not say which language it is in: screen readers may "
                    "read it with the wrong pronunciation.",
                    "%(count)d PDFs do not say which language they are in: screen readers may "
                    "read them with the wrong pronunciation.",
                    no_language,
                )
                % {"count": no_language},
            )
        )
    if scans := counts["checklist_pdfs_without_text"]:
        warnings.append(
            MissingItem(
                "pdf_text",
                ngettext("%(count)d scan without text", "%(count)d scans without text", scans)
                % {"count": scans},
                ngettext(
                    "%(count)d PDF has no text on its first pages (a scan?): screen readers and "
                    "the search find nothing in it. Please run text recognition (OCR) or "
                    "upload the original file.",
                    "%(count)d PDFs have no text on their first pages (scans?): screen readers "
                    "and the search find nothing in them. Please run text recognition (OCR) "
                    "or upload the original files.",
                    scans,
                )
                % {"count": scans},
            )
        )
    if unreadable := counts["checklist_documents_unreadable"]:
        warnings.append(
            MissingItem(
                "unreadable",
                ngettext(
                    "%(count)d unreadable document", "%(count)d unreadable documents", unreadable
                )
                % {"count": unreadable},
                ngettext(
                    "%(count)d document could not be read (damaged or encrypted): whether it "
                    "is accessible is unknown.",
                    "%(count)d documents could not be read (damaged or encrypted): whether "
                    "they are accessible is unknown.",
                    unreadable,
                )
                % {"count": unreadable},
            )
        )
    return warnings


# --- Registrations ----------------------------------------------------------------------------
#
# A person without an account registers with name and address; the registration waits as
# UNCONFIRMED until they open the signed link in the e-mail (double opt-in). A logged-in person
# whose address allauth has verified is placed at once. Placing happens with the event's row
# locked (select_for_update, on PostgreSQL a real row lock), so that concurrent confirmations
# never take more places than the event has: a place when one is free, else the waiting list.
# Whenever a place becomes free (a cancellation, more places), the first waiting person gets it
# and an e-mail. E-mails are rendered after the lock is released and leave once the transaction
# commits (quartier.mail): a rolled-back change, such as an account deletion that fails, sends
# none; a failing mail server is logged and loses no registration.

CONFIRM_PURPOSE = "registration-confirm"
CANCEL_PURPOSE = "registration-cancel"
# How many registration e-mails one address may be sent per hour (checked by the views).
MAILS_PER_ADDRESS_PER_HOUR = 3

_REGISTRATION_COUNTS = {
    "registrations_confirmed": Q(status=Registration.Status.CONFIRMED),
    "registrations_waiting": Q(status=Registration.Status.WAITING),
    "registrations_unconfirmed": Q(status=Registration.Status.UNCONFIRMED),
    "registrations_cancelled": Q(status=Registration.Status.CANCELLED),
}


def with_registration_counts(queryset: models.QuerySet) -> models.QuerySet:
    """Events annotated with their registrations per status (subqueries, no joins)."""
    return queryset.annotate(
        **{
            name: _count_per_event(Registration, condition)
            for name, condition in _REGISTRATION_COUNTS.items()
        }
    )


def events_upcoming_with_registrations(now: datetime.datetime | None = None) -> models.QuerySet:
    """Events not yet over, drafts and cancelled ones among them, the soonest first, annotated
    with their registrations per status."""
    return with_registration_counts(Event.objects.upcoming(now))


def registration_confirm_url(registration: Registration) -> str:
    """The path of the page that confirms the e-mail address (in the active language)."""
    token = token_for(CONFIRM_PURPOSE, registration.pk)
    return reverse("events:registration_confirm", kwargs={"token": token})


def registration_cancel_url(registration: Registration) -> str:
    """The path of the page that cancels the registration without a login.

    The link does not expire: it works as long as the registration is active and the event
    has not ended.
    """
    token = token_for(CANCEL_PURPOSE, registration.pk)
    return reverse("events:registration_cancel", kwargs={"token": token})


def confirmation_link_max_age() -> int:
    return settings.CONFIRMATION_LINK_HOURS * 3600


def registration_refusal(event: Event, now: datetime.datetime | None = None) -> str | None:
    """Why nobody can register for the event now, in the active language; None when it is open."""
    now = now or timezone.now()
    if event.is_cancelled:
        return _("This event has been cancelled; registration is no longer possible.")
    if not event.registration_enabled or event.status != Event.Status.PUBLISHED:
        return _("Registration for this event is not open.")
    if now >= event.registration_closes_at:
        return _("The registration deadline for this event has passed.")
    return None


def _confirmation_refusal(event: Event, now: datetime.datetime) -> str | None:
    """Why an address can no longer be confirmed. A person who registered before the deadline
    may still confirm after it, until the event starts."""
    if event.is_cancelled:
        return _("This event has been cancelled; registration is no longer possible.")
    if not event.registration_enabled or event.status != Event.Status.PUBLISHED:
        return _("Registration for this event is not open.")
    if now >= event.start:
        return _("The event has already started; registration is no longer possible.")
    return None


def _promotion_allowed(event: Event, now: datetime.datetime) -> bool:
    return event.status == Event.Status.PUBLISHED and now < event.start


def _promote_locked(event: Event, now: datetime.datetime) -> list[Registration]:
    """Give free places to the waiting list, first come first served. The caller holds the
    lock on the event's row."""
    if not _promotion_allowed(event, now):
        return []
    waiting = event.registrations.waiting()
    if event.capacity is not None:
        free = event.capacity - event.registrations.confirmed().count()
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        registration.event = event
    return promoted


def _place_locked(event: Event, registration: Registration, now: datetime.datetime) -> None:
    """A place when one is free (and nobody waits for it), else the waiting list."""
    if event.capacity is None or (
        event.registrations.confirmed().count() < event.capacity
        and not event.registrations.waiting().exists()
    ):
        registration.status = Registration.Status.CONFIRMED
        registration.waiting_since = None
    else:
        registration.status = Registration.Status.WAITING
        registration.waiting_since = now


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _has_verified_address(user, email: str) -> bool:
    """Whether allauth has verified ``email`` for the account."""
    if user is None or not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _mail(registration: Registration, template: str, *, with_calendar: bool = False) -> None:
    """Send ``email/registration_<template>`` to the person, in their language, once the
    transaction commits. A failing mail server only delays it (see ``quartier.mail``)."""
    from .calendars import event_ics

    event = registration.event
    language = registration.language or "de"
    with translation.override(language):
        context = {
            "registration": registration,
            "event": event,
            "event_url": absolute_url(event.get_absolute_url()),
            "cancel_url": absolute_url(registration_cancel_url(registration)),
            "confirm_url": absolute_url(registration_confirm_url(registration)),
            "register_url": absolute_url(reverse("events:register", kwargs={"slug": event.slug})),
            "link_hours": settings.CONFIRMATION_LINK_HOURS,
        }
        attachments = (
            [Attachment(f"{event.slug}.ics", event_ics(event), "text/calendar")]
            if with_calendar
            else []
        )
    send_after_commit(
        to=registration.email,
        template=f"registration_{template}",
        context=context,
        language=language,
        attachments=attachments,
    )


def _mail_placed(registration: Registration) -> None:
    if registration.status == Registration.Status.CONFIRMED:
        _mail(registration, "confirmed", with_calendar=True)
    elif registration.status == Registration.Status.WAITING:
        _mail(registration, "waiting")


def _mail_promoted(promoted: list[Registration]) -> None:
    for registration in promoted:
        _mail(registration, "promoted", with_calendar=True)


def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    organisation: str = "",
    accessibility_needs: str = "",
    dietary_notes: str = "",
    user=None,
    language: str = "de",
) -> Registration:
    """Register a person for the event, and send them the e-mail that fits.

    - Without an account (or with an address the account has not verified): the registration
      awaits the confirmation of the address; the e-mail carries the signed, expiring link.
    - With the account's verified address: a place at once, or the waiting list.
    - The address has an active registration for the event already: nothing new is stored;
      the address is sent a reminder with its cancel link (or the confirmation link again, when
      it was never confirmed). The caller answers as in the first case, so that nobody learns
      who is registered.

    Raises ValidationError (with a message for the person) when registration is not open.
    Consent to the privacy notice is recorded with its version: callers ask for it first.
    A mail server that fails only delays the e-mail; what was stored stays.
    """
    email = email.strip()
    trusted = _has_verified_address(user, email)
    placed: Registration | None = None
    existing: Registration | None = None
    promoted: list[Registration] = []
    with transaction.atomic():
        locked = _lock_event(event)
        now = timezone.now()
        if refusal := registration_refusal(locked, now):
            raise ValidationError(refusal, code="closed")
        existing = locked.registrations.active().filter(email__iexact=email).first()
        if existing is None:
            registration = Registration(
                event=locked,
                user=user if trusted else None,
                name=name.strip(),
                email=email,
                organisation=organisation.strip(),
                accessibility_needs=(
                    accessibility_needs.strip() if locked.asks_accessibility_needs else ""
                ),
                dietary_notes=dietary_notes.strip() if locked.asks_dietary_notes else "",
                language=(language or "de")[:8],
            )
            registration.record_consent(now)
            if trusted:
                registration.confirmed_at = now
                promoted = _promote_locked(locked, now)
                _place_locked(locked, registration, now)
            try:
                with transaction.atomic():
                    registration.save()
            except IntegrityError:
                # The same address at the same moment (SQLite locks no rows): the first wins.
                existing = locked.registrations.active().filter(email__iexact=email).first()
                if existing is None:
                    raise
            else:
                placed = registration
    _mail_promoted(promoted)
    if existing is not None:
        existing.event = event
        if existing.status == Registration.Status.UNCONFIRMED:
            _mail(existing, "confirm_address")
        else:
            _mail(existing, "already_registered")
        return existing
    if placed.status == Registration.Status.UNCONFIRMED:
        _mail(placed, "confirm_address")
    else:
        _mail_placed(placed)
    return placed


def registration_confirm(*, registration: Registration) -> Registration:
    """The person confirmed their address: a place, or the waiting list; and an e-mail.

    Confirming twice changes nothing and sends nothing. Raises ValidationError when the event
    was cancelled, closed or has started in the meantime.
    """
    with transaction.atomic():
        locked = _lock_event(registration.event)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != Registration.Status.UNCONFIRMED:
            current.event = locked
            return current
        now = timezone.now()
        if refusal := _confirmation_refusal(locked, now):
            raise ValidationError(refusal, code="closed")
        current.confirmed_at = now
        promoted = _promote_locked(locked, now)
        _place_locked(locked, current, now)
        current.save(update_fields=["status", "confirmed_at", "waiting_since"])
        current.event = locked
    _mail_promoted(promoted)
    _mail_placed(current)
    return current


def _cancel(registration: Registration, *, notify: bool) -> tuple[Registration, list]:
    with transaction.atomic():
        locked = _lock_event(registration.event)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        current.event = locked
        if current.status == Registration.Status.CANCELLED:
            return current, []
        now = timezone.now()
        if now >= locked.end:
            raise ValidationError(
                _("The event is over; the registration can no longer be cancelled."),
                code="over",
            )
        held_a_place = current.status == Registration.Status.CONFIRMED
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        promoted = _promote_locked(locked, now) if held_a_place else []
    if notify and current.email:
        _mail(current, "cancelled")
    _mail_promoted(promoted)
    return current, promoted


def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel the registration; a place it held goes to the first person waiting, who is
    e-mailed. Cancelling twice changes nothing. Raises ValidationError once the event is over."""
    return _cancel(registration, notify=True)[0]


def waitlist_promote(*, event: Event) -> list[Registration]:
    """Give the free places to the waiting list (e.g. after staff raised the capacity) and
    e-mail the people promoted."""
    with transaction.atomic():
        locked = _lock_event(event)
        promoted = _promote_locked(locked, timezone.now())
    _mail_promoted(promoted)
    return promoted


# --- Retention and account deletion -------------------------------------------------------------

_ANONYMOUS = {
    "name": "",
    "email": "",
    "organisation": "",
    "accessibility_needs": "",
    "dietary_notes": "",
    "user": None,
}


def registrations_delete_unconfirmed(*, older_than: datetime.datetime) -> int:
    """Delete registrations whose address was never confirmed, made before ``older_than``."""
    with transaction.atomic():
        unconfirmed = Registration.objects.filter(
            status=Registration.Status.UNCONFIRMED, created_at__lt=older_than
        )
        history_forget(unconfirmed, records_stay=False)
        deleted, _per_model = unconfirmed.delete()
    return deleted


def _anonymise(registrations, now: datetime.datetime) -> int:
    """Empty the registrations' personal data, in the change log too, where it named them."""
    with translation.override(settings.LANGUAGE_CODE):
        name = _("anonymised registration")
    history_forget(registrations, records_stay=True, object_repr=name)
    return changed_in_bulk(registrations.update(**_ANONYMOUS, anonymised_at=now))


def registrations_anonymise_past(*, ended_before: datetime.datetime) -> int:
    """Remove the personal data of registrations for events that ended before ``ended_before``;
    the rows (and so the counts per status) stay."""
    with transaction.atomic():
        return _anonymise(
            Registration.objects.filter(event__end__lt=ended_before, anonymised_at__isnull=True),
            timezone.now(),
        )


def registrations_remove_personal_data(*, user, emails=()) -> int:
    """Before an account is deleted: cancel the person's active registrations of events still
    to come (their places go to the waiting list), then anonymise all of them. The person's are
    those of ``Registration.objects.sent_by`` (``emails``: the account's verified addresses).

    The people promoted are e-mailed once the caller's transaction commits: a deletion that
    fails later tells nobody of a place that is not theirs.

    Returns how many registrations were anonymised.
    """
    now = timezone.now()
    theirs = Registration.objects.sent_by(user, emails=emails)
    upcoming = theirs.active().filter(event__end__gt=now)
    for registration in upcoming.select_related("event"):
        try:
            _cancel(registration, notify=False)
        except ValidationError:  # the event ended in the meantime
            pass
    return _anonymise(Registration.objects.sent_by(user, emails=emails), now)
