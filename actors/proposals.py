"""Proposed changes to an actor's profile, made by its contacts and decided by staff.

A contact (``ActorContact``) saves the form at /konto/organisation/<slug>/bearbeiten/: that
creates or updates the actor's one pending ``ProfileProposal`` and never the public page. Staff
see it on the admin's start page and accept it (the actor changes at once, with a version in
its history naming who proposed and who accepted) or return it with a note. The contact is
e-mailed either way, after the commit (``quartier.mail.send_after_commit``); staff are not
e-mailed about new proposals, the start page lists them.
"""

import difflib
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from quartier.accounts.adapter import user_display
from quartier.links import absolute_url
from quartier.mail import send_after_commit

from . import versions  # noqa: F401  (the actor's history: reversion's registration)
from .models import PROPOSAL_FIELDS, Actor, ActorContact, OfferOrNeed, ProfileProposal

NOT_PENDING_MESSAGE = _("This proposal has been decided already; nothing was changed.")
NOTHING_CHANGED_MESSAGE = _(
    "You have not changed anything yet: the profile already says all of this."
)
NOTE_REQUIRED_MESSAGE = _("Please tell the contact in a note what to change.")


def actor_values(actor: Actor, *, topics: list[str] | None = None) -> dict:
    """The actor's current values of the fields a contact may propose (one query for topics
    unless ``topics`` is given)."""
    values = {name: getattr(actor, name) for name in PROPOSAL_FIELDS if name != "topics"}
    if topics is None:
        topics = sorted((tag.name for tag in actor.topics.all()), key=str.casefold)
    values["topics"] = list(topics)
    return values


def _same(name: str, old, new) -> bool:
    if name == "topics":  # the same topics in another order are the same
        return sorted(t.casefold() for t in old) == sorted(t.casefold() for t in new)
    return (old or "") == (new or "")


def proposal_values_for_form(*, actor: Actor, proposal: ProfileProposal | None) -> dict:
    """What the edit form starts with: the actor, overlaid with the pending proposal."""
    values = actor_values(actor)
    if proposal is not None:
        values.update({k: v for k, v in proposal.values.items() if k in PROPOSAL_FIELDS})
    return values


def _validate_values(actor: Actor, changed: dict) -> None:
    """The actor's own rules (lengths, address, its clean()) for the proposed values, on a
    copy: nothing of the actor is changed."""
    candidate = Actor.objects.get(pk=actor.pk)
    for name, value in changed.items():
        if name != "topics":
            setattr(candidate, name, value)
    candidate.full_clean(exclude=["logo", "topics"], validate_unique=False)


# The actor's offers and needs in a proposal: ``values[ENTRIES]`` lists the entries to add
# (no id), change or remove (with the id of the actor's entry), each with these fields.
ENTRIES = "offers_and_needs"
ENTRY_FIELDS = ("direction", "kind", "title", "text")
ENTRY_GONE_MESSAGE = _(
    "One of the offers and needs in the form no longer exists; please open the form again."
)


def _entry_values(entry: OfferOrNeed) -> dict:
    return {"id": entry.pk, **{name: getattr(entry, name) for name in ENTRY_FIELDS}}


def actor_entries(actor: Actor) -> dict[int, OfferOrNeed]:
    """The actor's offers and needs, published or not, offers first (one query)."""
    entries = OfferOrNeed.objects.filter(actor=actor).order_by("-direction", "kind", "pk")
    return {entry.pk: entry for entry in entries}


def entries_for_form(*, actor: Actor, proposal: ProfileProposal | None) -> list[dict]:
    """The entries the form starts with: the actor's, as the pending proposal changes them,
    then the new ones it proposes."""
    rows = [{**_entry_values(entry), "remove": False} for entry in actor_entries(actor).values()]
    if proposal is None:
        return rows
    proposed = proposal.values.get(ENTRIES, [])
    by_id = {entry["id"]: entry for entry in proposed if entry.get("id")}
    rows = [by_id.get(row["id"], row) for row in rows]
    return rows + [entry for entry in proposed if not entry.get("id")]


def _changed_entries(actor: Actor, entries: list[dict]) -> list[dict]:
    """What differs from the actor's entries: new ones, changed ones, removed ones. Each is
    checked by the entry's own rules; an id that is not one of the actor's is refused."""
    current = actor_entries(actor)
    changed = []
    for given in entries:
        entry = {"id": given.get("id") or None, **{n: given.get(n, "") for n in ENTRY_FIELDS}}
        remove = bool(given.get("remove"))
        if entry["id"] is not None:
            existing = current.get(entry["id"])
            if existing is None:
                raise ValidationError(ENTRY_GONE_MESSAGE, code="entry_gone")
            same = all(getattr(existing, n) == entry[n] for n in ENTRY_FIELDS)
            if same and not remove:
                continue
        elif remove:
            continue
        if not remove:
            candidate = OfferOrNeed(actor=actor, **{n: entry[n] for n in ENTRY_FIELDS})
            candidate.full_clean(exclude=["actor", "topic", "application"])
        changed.append({**entry, "remove": remove})
    return changed


def proposal_save(
    *,
    actor: Actor,
    user,
    values: dict,
    logo=None,
    logo_alt_text: str = "",
    logo_credit: str = "",
    logo_licence: str = "",
    logo_permission: bool = False,
    language: str = "de",
    based_on=None,
    entries: list[dict] | None = None,
) -> ProfileProposal:
    """Create or update the actor's pending proposal from what ``user`` (a contact of the actor)
    typed, with its offers and needs as ``entries`` (see ``ENTRIES``). Only the fields and
    entries that differ from the actor's are kept. ``based_on`` is when the
    profile shown in the form was last changed (the proposal is made against the oldest
    state any of its saves saw; never a later one than the actor's). A new logo replaces the one
    proposed before; without one, a logo proposed before stays. Raises ValidationError (field
    errors by name) for values the actor's rules refuse, or when nothing differs."""
    if not ActorContact.objects.filter(actor=actor, user=user).exists():
        raise ValidationError(_("Only a contact of the organisation can propose changes."))
    current = actor_values(actor)
    changed = {
        name: values[name]
        for name in PROPOSAL_FIELDS
        if name in values and not _same(name, current[name], values[name])
    }
    _validate_values(actor, changed)
    changed_entries = _changed_entries(actor, entries) if entries is not None else None
    with transaction.atomic():
        proposal = ProfileProposal.objects.select_for_update().filter(actor=actor).pending().first()
        seen = min(based_on or actor.updated_at, actor.updated_at)
        if proposal is None:
            proposal = ProfileProposal(actor=actor, based_on=seen)
        else:
            proposal.based_on = min(proposal.based_on, seen)
        if changed_entries is None:  # the entries were not in the form: those proposed stay
            changed_entries = proposal.values.get(ENTRIES, []) if proposal.pk else []
        if changed_entries:
            changed[ENTRIES] = changed_entries
        has_logo = bool(logo) or bool(proposal.logo)
        if not changed and not has_logo:
            raise ValidationError(NOTHING_CHANGED_MESSAGE, code="nothing_changed")
        proposal.values = changed
        proposal.proposed_by = user
        proposal.language = language or "de"
        if logo:
            proposal.logo = logo
            proposal.logo_alt_text = logo_alt_text
            proposal.logo_credit = logo_credit
            proposal.logo_licence = logo_licence
            proposal.logo_permission = logo_permission
        elif proposal.logo:
            # The texts of a logo proposed before may be corrected without sending it again.
            proposal.logo_alt_text = logo_alt_text or proposal.logo_alt_text
            proposal.logo_credit = logo_credit or proposal.logo_credit
            proposal.logo_licence = logo_licence or proposal.logo_licence
            proposal.logo_permission = logo_permission or proposal.logo_permission
        try:
            with transaction.atomic():
                proposal.save()
        except IntegrityError as error:
            # Another pending one was saved a moment ago (a second tab, a second contact).
            raise ValidationError(
                _(
                    "Someone else saved a proposal for this organisation a moment ago. "
                    "Please open the form again."
                )
            ) from error
    return proposal


def _lock_pending(proposal: ProfileProposal) -> ProfileProposal:
    # Only the proposal's row is locked: PostgreSQL locks no row of an outer join.
    locked = (
        ProfileProposal.objects.select_for_update(of=("self",))
        .select_related("proposed_by")
        .get(pk=proposal.pk)
    )
    if locked.status != ProfileProposal.Status.PENDING:
        raise ValidationError(NOT_PENDING_MESSAGE, code="not_pending")
    return locked


def history_comment(proposal: ProfileProposal, reviewer) -> str:
    """The comment of the actor's version made by accepting: who proposed, who accepted (in
    the site's language, like the admin's other entries)."""
    proposer = user_display(proposal.proposed_by) if proposal.proposed_by else "–"
    with translation.override(settings.LANGUAGE_CODE):
        return str(
            _("Proposed change by %(proposer)s, accepted by %(reviewer)s.")
            % {"proposer": proposer, "reviewer": user_display(reviewer)}
        )


def proposal_accept(*, proposal: ProfileProposal, reviewer) -> Actor:
    """Apply a pending proposal to its actor at once, record a version of the actor in its
    history, and e-mail the contact after the commit. Raises ValidationError for a proposal
    that is not pending or values that the actor's rules refuse now."""
    with transaction.atomic():
        locked = _lock_pending(proposal)
        actor = Actor.objects.select_for_update().get(pk=locked.actor_id)
        for name, value in locked.values.items():
            if name != "topics" and name in PROPOSAL_FIELDS:
                setattr(actor, name, value)
        if locked.logo:
            actor.logo = locked.logo.name
            actor.logo_alt_text = locked.logo_alt_text
            actor.logo_credit = locked.logo_credit
            actor.logo_licence = locked.logo_licence
        actor.full_clean(exclude=["logo"], validate_unique=False)
        with reversion.create_revision():
            reversion.set_user(reviewer)
            reversion.set_comment(history_comment(locked, reviewer))
            actor.save()
            if "topics" in locked.values:
                actor.topics.set(locked.values["topics"])
            _apply_entries(actor, locked.values.get(ENTRIES, []))
        locked.status = ProfileProposal.Status.ACCEPTED
        locked.decided_at = timezone.now()
        locked.decided_by = reviewer
        locked.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        _tell_contact(locked, "proposal_accepted")
    proposal.refresh_from_db()
    return actor


def _apply_entries(actor: Actor, entries: list[dict]) -> None:
    """Add, change and remove the actor's offers and needs as proposed. New entries are
    published: staff have just read them. One removed or deleted since is left alone."""
    for change in entries:
        if change.get("id"):
            entry = OfferOrNeed.objects.filter(actor=actor, pk=change["id"]).first()
            if entry is None:
                continue
            if change.get("remove"):
                entry.delete()
                continue
        else:
            entry = OfferOrNeed(actor=actor, is_published=True)
        for name in ENTRY_FIELDS:
            setattr(entry, name, change[name])
        entry.full_clean(exclude=["topic", "application"])
        entry.save()


def proposal_return(*, proposal: ProfileProposal, reviewer, note: str) -> None:
    """Return a pending proposal with a note; the actor stays as it is. The contact is
    e-mailed the note after the commit and sees it on their page."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"staff_note": NOTE_REQUIRED_MESSAGE})
    with transaction.atomic():
        locked = _lock_pending(proposal)
        locked.status = ProfileProposal.Status.RETURNED
        locked.decided_at = timezone.now()
        locked.decided_by = reviewer
        locked.staff_note = note
        locked.full_clean(exclude=["actor", "proposed_by", "decided_by", "logo"])
        locked.save(
            update_fields=["status", "decided_at", "decided_by", "staff_note", "updated_at"]
        )
        _tell_contact(locked, "proposal_returned")
    proposal.refresh_from_db()


def proposal_withdraw(*, proposal: ProfileProposal, user) -> None:
    """A contact of the actor takes back its pending proposal (staff no longer see it)."""
    with transaction.atomic():
        locked = _lock_pending(proposal)
        if not ActorContact.objects.filter(actor_id=locked.actor_id, user=user).exists():
            raise ValidationError(_("Only a contact of the organisation can withdraw it."))
        locked.status = ProfileProposal.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
    proposal.refresh_from_db()


def _tell_contact(proposal: ProfileProposal, template: str) -> None:
    person = proposal.proposed_by
    if person is None or not person.email:
        return
    with translation.override(proposal.language):
        path = reverse("organisation:list")
    send_after_commit(
        to=person.email,
        template=template,
        context={
            "proposal": proposal,
            "actor": proposal.actor,
            "name": user_display(person),
            "organisation_url": absolute_url(path),
            "public_url": absolute_url(proposal.actor.get_absolute_url()),
        },
        language=proposal.language,
    )


def contact_leave(*, actor: Actor, user) -> bool:
    """``user`` is no longer a contact of ``actor``. A pending proposal of theirs stays for
    staff (the admin marks it as from a former contact). True if there was a membership."""
    deleted, _per_model = ActorContact.objects.filter(actor=actor, user=user).delete()
    return bool(deleted)


# --- The diff staff read ----------------------------------------------------------------------


@dataclass
class FieldChange:
    name: str
    label: str
    old: object
    new: object
    # Lines of a text diff for long texts: (kind, text) with kind "same", "added", "removed".
    lines: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)


LONG_TEXT_FIELDS = {"description", "mission"}


def _text_lines(old: str, new: str) -> list[tuple[str, str]]:
    lines = []
    for line in difflib.ndiff((old or "").splitlines(), (new or "").splitlines()):
        code, text = line[:2], line[2:]
        if code == "  ":
            lines.append(("same", text))
        elif code == "+ ":
            lines.append(("added", text))
        elif code == "- ":
            lines.append(("removed", text))
    return lines


def proposal_changes(proposal: ProfileProposal, *, topics: list[str] | None = None) -> list:
    """Field by field, what accepting would change in the actor as it is now: old and new,
    the long texts line by line, the topics added and removed. Fields the actor already
    holds as proposed are left out."""
    actor = proposal.actor
    current = actor_values(actor, topics=topics)
    changes = []
    for name in PROPOSAL_FIELDS:
        if name not in proposal.values:
            continue
        old, new = current[name], proposal.values[name]
        if _same(name, old, new):
            continue
        label = Actor._meta.get_field(name).verbose_name
        change = FieldChange(name=name, label=label, old=old, new=new)
        if name == "topics":
            old_keys = {t.casefold() for t in old}
            new_keys = {t.casefold() for t in new}
            change.added = [t for t in new if t.casefold() not in old_keys]
            change.removed = [t for t in old if t.casefold() not in new_keys]
        elif name in LONG_TEXT_FIELDS:
            change.lines = _text_lines(old, new)
        changes.append(change)
    return changes


@dataclass
class EntryChange:
    """An offer or need the proposal adds, changes or removes; ``old`` is the actor's entry
    (None for a new one), ``new`` what the proposal says, with its labels."""

    what: str  # "added", "changed", "removed"
    old: OfferOrNeed | None
    new: dict


def proposal_entry_changes(proposal: ProfileProposal) -> list[EntryChange]:
    """The offers and needs the proposal changes, with the actor's entries as they are now
    (one query). An entry deleted since is left out."""
    proposed = proposal.values.get(ENTRIES, [])
    ids = [entry["id"] for entry in proposed if entry.get("id")]
    current = OfferOrNeed.objects.filter(actor_id=proposal.actor_id, pk__in=ids).in_bulk()
    changes = []
    for entry in proposed:
        labelled = {
            **entry,
            "direction_label": OfferOrNeed.Direction(entry["direction"]).label
            if entry["direction"] in OfferOrNeed.Direction.values
            else "",
            "kind_label": OfferOrNeed.Kind(entry["kind"]).label
            if entry["kind"] in OfferOrNeed.Kind.values
            else "",
        }
        if not entry.get("id"):
            changes.append(EntryChange("added", None, labelled))
        elif entry["id"] in current:
            what = "removed" if entry.get("remove") else "changed"
            changes.append(EntryChange(what, current[entry["id"]], labelled))
    return changes
