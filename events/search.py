"""What of the events the site search finds, and how it shows them: events with their programme
and speakers, and the documents of published documentation."""

from django.db.models import Exists, OuterRef, Q, TextField, Value
from django.db.models.functions import Concat

from quartier.search import (
    DocumentSearch,
    RelatedText,
    SearchField,
    SearchKind,
    joined_text,
    markdown_text,
)

from .models import Event, EventDocument, ProgrammeItem, Speaker


def _programme_text():
    return joined_text(
        ProgrammeItem.objects.filter(event=OuterRef("pk")),
        "event",
        Concat("title", Value(" "), "description", output_field=TextField()),
    )


def _programme_contains(word: str) -> Exists:
    return Exists(
        ProgrammeItem.objects.filter(event=OuterRef("pk")).filter(
            Q(title__icontains=word) | Q(description__icontains=word)
        )
    )


def _speakers_text():
    return joined_text(
        Speaker.objects.filter(programme_item__event=OuterRef("pk")),
        "programme_item__event",
        "name",
    )


def _speakers_contain(word: str) -> Exists:
    return Exists(
        Speaker.objects.filter(programme_item__event=OuterRef("pk"), name__icontains=word)
    )


class EventSearch(SearchKind):
    kind = "event"
    fields = [
        SearchField("title", "A"),
        SearchField("summary", "B"),
        SearchField("description", "C"),
        # Results are public only with the documentation.
        SearchField("results", "C", only_if=Q(documentation_published=True)),
    ]
    related = [
        RelatedText("C", text=_programme_text, contains=_programme_contains),
        RelatedText("C", text=_speakers_text, contains=_speakers_contain),
    ]
    ordering = ["-start", "pk"]

    def queryset(self):
        return Event.objects.searchable()

    def title(self, event):
        return event.title

    def snippet_texts(self, event):
        texts = [event.summary, markdown_text(event.description)]
        if event.documentation_published:
            texts.append(markdown_text(event.results))
        for item in event.programme_items.all():
            texts.append(" – ".join(part for part in (item.title, item.description) if part))
            texts.extend(
                ", ".join(part for part in (speaker.name, speaker.function) if part)
                for speaker in item.speakers.all()
            )
        return texts


class EventDocumentSearch(DocumentSearch):
    kind = "event_document"

    def queryset(self):
        return EventDocument.objects.searchable()
