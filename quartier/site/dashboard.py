"""The admin's start page: what needs the staff's attention, from every app at a glance.

Applications awaiting review, changes that contacts proposed to their profiles, the coming
events with their registrations, events whose documentation lacks something, drafts waiting to
be published, and who changed what lately.
Each app says through its own verbs what belongs in a box (``Application.objects
.awaiting_review()``, ``events.services.events_upcoming_with_registrations()``, the drafts()
of every publishable model); this module only composes them.

A box shows only what the person may see in the admin (the model's view or change
permission): an editor of content sees no applications, and nobody sees in the recent changes
the names of objects they could not open. Every box costs a fixed number of queries whatever
the number of rows (a short list and its count), so the start page stays quick as the portal
grows.
"""

import datetime
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor, Application, OfferOrNeed, ProfileProposal
from events.models import Event
from events.services import (
    documentation_checklist,
    events_lacking_documentation,
    events_upcoming_with_registrations,
)
from projects.models import Project, Publication
from quartier.accounts.adapter import user_display

# Rows per box; the count says how many there are in all, the link leads to the full list.
ROWS = 5
RECENT_CHANGES = 10

# The publishable models and the changelist filter that shows their drafts.
DRAFTS = [
    (Actor, {"is_published__exact": "0"}),
    # Among them the first offer and need of an approved application, for staff to confirm.
    (OfferOrNeed, {"is_published__exact": "0"}),
    (Event, {"status__exact": Event.Status.DRAFT}),
    (Project, {"is_published__exact": "0"}),
    (Publication, {"is_published__exact": "0"}),
]


def may_view(user, model: type[models.Model]) -> bool:
    """The admin's rule for seeing a model's objects: its view or its change permission."""
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


def change_url(obj: models.Model) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def changelist_url(model: type[models.Model], query: dict | None = None) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class Box:
    """A list cut to its first rows, with the number of all of them and where they all are."""

    rows: list
    count: int
    url: str


def _box(queryset: models.QuerySet, *, url: str, limit: int = ROWS, row=None) -> Box:
    rows = list(queryset[:limit])
    return Box(rows=[row(obj) for obj in rows] if row else rows, count=queryset.count(), url=url)


@dataclass(frozen=True)
class ApplicationRow:
    application: Application
    url: str


@dataclass(frozen=True)
class ProposalRow:
    proposal: ProfileProposal
    url: str


@dataclass(frozen=True)
class UpcomingEventRow:
    event: Event
    url: str
    confirmed: int
    waiting: int
    # None: no limit.
    free_places: int | None


@dataclass(frozen=True)
class DocumentationRow:
    event: Event
    url: str
    missing: list[str]


@dataclass(frozen=True)
class DraftsBox:
    label: str
    box: Box


@dataclass(frozen=True)
class ChangeRow:
    entry: LogEntry
    who: str
    # None for a deletion, or an object the admin has no page for.
    url: str | None


def _applications() -> Box:
    return _box(
        Application.objects.awaiting_review(),
        url=changelist_url(Application, {"status": Application.Status.PENDING}),
        row=lambda application: ApplicationRow(application, change_url(application)),
    )


def _proposals() -> Box:
    return _box(
        ProfileProposal.objects.pending().for_review(),
        url=changelist_url(ProfileProposal, {"status__exact": ProfileProposal.Status.PENDING}),
        row=lambda proposal: ProposalRow(proposal, change_url(proposal)),
    )


def _upcoming_events(now: datetime.datetime) -> Box:
    def row(event: Event) -> UpcomingEventRow:
        free = None
        if event.capacity is not None and not event.is_cancelled:
            free = max(event.capacity - event.registrations_confirmed, 0)
        return UpcomingEventRow(
            event=event,
            url=change_url(event),
            confirmed=event.registrations_confirmed,
            waiting=event.registrations_waiting,
            free_places=free,
        )

    return _box(
        events_upcoming_with_registrations(now),
        url=changelist_url(Event, {"when": "upcoming"}),
        row=row,
    )


def _documentation(now: datetime.datetime) -> Box:
    return _box(
        events_lacking_documentation(now),
        url=changelist_url(Event, {"checklist": "incomplete"}),
        row=lambda event: DocumentationRow(
            event, change_url(event), [str(item.label) for item in documentation_checklist(event)]
        ),
    )


def _drafts(user) -> list[DraftsBox]:
    return [
        DraftsBox(
            label=model._meta.verbose_name_plural,
            box=_box(
                model.objects.drafts().order_by("-created_at", "-pk"),
                url=changelist_url(model, query),
                row=lambda obj: (obj, change_url(obj)),
            ),
        )
        for model, query in DRAFTS
        if may_view(user, model)
    ]


def _recent_changes(user) -> list[ChangeRow] | None:
    entries = LogEntry.objects.select_related("user", "content_type")
    if not user.is_superuser:
        visible = [model for model in apps.get_models() if may_view(user, model)]
        if not visible:
            return None
        content_types = ContentType.objects.get_for_models(*visible).values()
        entries = entries.filter(content_type__in=[ct.pk for ct in content_types])
    return [
        ChangeRow(
            entry=entry,
            who=user_display(entry.user),
            url=None if entry.is_deletion() else entry.get_admin_url(),
        )
        for entry in entries.order_by("-action_time", "-pk")[:RECENT_CHANGES]
    ]


def dashboard(user, now: datetime.datetime | None = None) -> dict:
    """The boxes of the start page ``user`` may see; a box they may not see is None."""
    now = now or timezone.now()
    may_see_events = may_view(user, Event)
    return {
        "applications": _applications() if may_view(user, Application) else None,
        "proposals": _proposals() if may_view(user, ProfileProposal) else None,
        "upcoming_events": _upcoming_events(now) if may_see_events else None,
        "documentation": _documentation(now) if may_see_events else None,
        "drafts": _drafts(user),
        "recent_changes": _recent_changes(user),
    }


def with_dashboard(index_view):
    """The admin's index view, with the boxes in its context (``templates/admin/index.html``).

    Installed in quartier/urls.py; the admin checks who may see the index before.
    """

    @wraps(index_view)
    def index(request, extra_context=None):
        return index_view(
            request, extra_context={"dashboard": dashboard(request.user), **(extra_context or {})}
        )

    return index
