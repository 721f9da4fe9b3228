"""What of the events the site search finds, and how it shows them: events with their programme
and speakers, and the documents of published documentation."""

from django.db.models import Q

from quartier.search import (
    DocumentSearch,
    RelatedText,
    SearchField,
    SearchKind,
    markdown_text_later,
)

from .models import Event, EventDocument, ProgrammeItem, Speaker


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
        RelatedText("C", ProgrammeItem, "event", ("title", "description")),
        RelatedText("C", Speaker, "programme_item__event", ("name",)),
    ]
    ordering = ["-start", "pk"]

    def queryset(self):
        return Event.objects.searchable()

    def title(self, event):
        return event.title

    def snippet_texts(self, event):
        texts = [event.summary, markdown_text_later(event.description)]
        if event.documentation_published:
            texts.append(markdown_text_later(event.results))
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
