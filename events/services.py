"""Writes with side effects on events, and what the editors' checklist needs to know."""

from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Event, EventDocument, EventPhoto


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

# Counts the checklist needs, as annotations so that a list of events costs one query.
CHECKLIST_COUNTS = {
    "checklist_documents": Q(),
    "checklist_photos": Q(),
    "checklist_photos_without_credit": Q(credit=""),
    "checklist_photos_without_consent": Q(shows_people=True, people_consented=False),
}


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
            name: _count_per_event(
                EventDocument if name == "checklist_documents" else EventPhoto, condition
            )
            for name, condition in CHECKLIST_COUNTS.items()
        }
    )


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
    return missing
