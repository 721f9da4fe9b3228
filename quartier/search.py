"""Site search over actors, events, projects and documents: /suche/?q=.

On PostgreSQL the search is full-text with the German configuration: "Quartiere" finds
"Quartier", words in titles weigh more than words in descriptions, and results are ranked. On
SQLite (development, and one of the two test databases) a simpler fallback finds the things
that contain every word somewhere in their fields and orders them by how many fields match.

Only what the public may see is searched: published actors and projects, public events (their
results only where the documentation is published), documents of published documentation and
of published projects, and published publications.

Snippets are made in Python from plain text: editor content is escaped first and only then are
the matched words wrapped in ``<mark>``, so nothing an editor writes reaches the page as HTML.
Each kind costs one query (documents three, one per table), plus the programme of the events
shown; PostgreSQL adds one query that tells which word stems to highlight.
"""

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Concat, Lower
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from events.models import Event, EventDocument, ProgrammeItem, Speaker
from projects.models import Project, ProjectDocument, Publication

from .markdown import render_markdown

MAX_QUERY_LENGTH = 200
RESULTS_PER_KIND = 10
# The SQLite fallback builds a condition per word and field; more words than this are ignored
# (SQLite limits how deep an expression may nest).
MAX_FALLBACK_WORDS = 10
SNIPPET_LENGTH = 220
# Weights of full-text search (A counts most) and, on SQLite, points per matching field.
FALLBACK_POINTS = {"A": 3, "B": 2, "C": 1, "D": 1}


# --- results --------------------------------------------------------------------------------


@dataclass
class Hit:
    """One thing found: what the results page links to and shows."""

    kind: str  # actor, event, project, event_document, project_document, publication
    title: str
    url: str
    snippet: SafeString
    obj: Any
    score: float = 0.0


@dataclass
class ResultGroup:
    key: str  # actors, events, projects, documents
    label: str
    hits: list[Hit]
    total: int

    @property
    def has_more(self) -> bool:
        return self.total > len(self.hits)


@dataclass
class SearchOutcome:
    """What the search page shows. ``problem`` is "", "empty" or "too_long"."""

    query: str
    problem: str = ""
    groups: list[ResultGroup] = field(default_factory=list)
    words_ignored: bool = False

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def groups_with_hits(self) -> list[ResultGroup]:
        return [group for group in self.groups if group.total]


def clean_query(raw: str) -> str:
    """The query without control characters (a NUL byte would upset PostgreSQL)."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in raw or "")
    return re.sub(r"\s+", " ", text).strip()


GROUP_LABELS = {
    "actors": _("Actors"),
    "events": _("Events"),
    "projects": _("Projects"),
    "documents": _("Documents"),
}


def site_search(raw_query: str, *, limit: int = RESULTS_PER_KIND) -> SearchOutcome:
    query = clean_query(raw_query)
    if not query:
        return SearchOutcome(query=query, problem="empty")
    if len(query) > MAX_QUERY_LENGTH:
        return SearchOutcome(query=query, problem="too_long")
    backend = (
        PostgresBackend(query) if connection.vendor == "postgresql" else FallbackBackend(query)
    )
    if not backend.searchable:
        # Only punctuation, or on PostgreSQL only words too common to search for: nothing found.
        groups = [ResultGroup(key, label, [], 0) for key, label in GROUP_LABELS.items()]
        return SearchOutcome(query=query, groups=groups)
    groups = [
        _actor_group(backend, limit),
        _event_group(backend, limit),
        _project_group(backend, limit),
        _document_group(backend, limit),
    ]
    return SearchOutcome(query=query, groups=groups, words_ignored=backend.words_ignored)


# --- backends -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchField:
    """A text field of the row, how much a match there counts (A most), and where it counts:
    ``only_if`` leaves it out of rows where the condition does not hold."""

    name: str
    weight: str
    only_if: Q | None = None


@dataclass(frozen=True)
class RelatedText:
    """Text in other rows, such as the programme of an event.

    ``text`` gives that text joined into one, as a subquery (for PostgreSQL's vectors);
    ``contains(word)`` gives an ``Exists()`` that one of the rows contains the word (SQLite).
    """

    weight: str
    text: Callable[[], Any]
    contains: Callable[[str], Exists]


class FallbackBackend:
    """Every word must appear in one of the fields (case-insensitively for ASCII letters);
    the more fields match, and the more they weigh, the higher a row is listed."""

    def __init__(self, query: str):
        words = list(dict.fromkeys(word.lower() for word in query.split()))
        words = [word for word in words if re.search(r"\w", word)]
        self.words_ignored = len(words) > MAX_FALLBACK_WORDS
        self.words = words[:MAX_FALLBACK_WORDS]
        self.searchable = bool(self.words)
        self.highlighter = Highlighter(substrings=self.words)

    def apply(
        self, queryset: QuerySet, fields: list[SearchField], related: list[RelatedText] = ()
    ) -> QuerySet:
        """The rows that contain every word, with ``score`` and the number of rows (``total``)."""
        condition = Q()
        points = []
        for word in self.words:
            matches_word = Q()
            for search_field in fields:
                matches = Q(**{f"{search_field.name}__icontains": word})
                if search_field.only_if is not None:
                    matches &= search_field.only_if
                matches_word |= matches
                points.append(self._points(matches, search_field.weight))
            for related_text in related:
                matches = Q(related_text.contains(word))
                matches_word |= matches
                points.append(self._points(matches, related_text.weight))
            condition &= matches_word
        score = sum(points[1:], start=points[0])
        return queryset.filter(condition).annotate(score=score, total=Window(Count("pk")))

    @staticmethod
    def _points(matches: Q, weight: str) -> Case:
        return Case(
            When(matches, then=Value(FALLBACK_POINTS[weight])),
            default=Value(0),
            output_field=IntegerField(),
        )


class PostgresBackend:
    """Full-text search with the German configuration, ranked, over weighted fields."""

    config = "german"

    def __init__(self, query: str):
        self.search_query = SearchQuery(query, config=self.config, search_type="websearch")
        self.words_ignored = False
        stems = self._stems(query)
        self.searchable = bool(stems)
        self.highlighter = Highlighter(stems=stems)

    def _stems(self, query: str) -> list[str]:
        """The word stems PostgreSQL searches for, to highlight them: "Quartiere" → "quartier"."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT websearch_to_tsquery(%s::regconfig, %s)::text", [self.config, query]
            )
            (text,) = cursor.fetchone()
        stems = []
        # E.g. "'lebend' <-> 'quartier' & !'berlin'"; excluded words are not highlighted.
        for negated, stem in re.findall(r"(!?)'((?:[^']|'')*)'", text or ""):
            if not negated and stem:
                stems.append(stem.replace("''", "'"))
        return list(dict.fromkeys(stems))

    def apply(
        self, queryset: QuerySet, fields: list[SearchField], related: list[RelatedText] = ()
    ) -> QuerySet:
        """The rows whose weighted vector matches, with ``score`` (the rank) and ``total``."""
        parts = []
        for search_field in fields:
            text = F(search_field.name)
            if search_field.only_if is not None:
                text = Case(
                    When(search_field.only_if, then=text),
                    default=Value(""),
                    output_field=TextField(),
                )
            parts.append(SearchVector(text, config=self.config, weight=search_field.weight))
        for related_text in related:
            parts.append(
                SearchVector(related_text.text(), config=self.config, weight=related_text.weight)
            )
        vector = sum(parts[1:], start=parts[0])
        return (
            queryset.alias(search=vector)
            .filter(search=self.search_query)
            .annotate(
                score=SearchRank(F("search"), self.search_query),
                total=Window(Count("pk")),
            )
        )


def joined_text(rows: QuerySet, group_by: str, expression) -> Coalesce:
    """The texts of related rows joined into one, as a subquery (PostgreSQL only)."""
    texts = (
        rows.order_by()
        .values(group_by)
        .annotate(text=StringAgg(expression, delimiter=" "))
        .values("text")
    )
    return Coalesce(Subquery(texts, output_field=TextField()), Value("", output_field=TextField()))


# --- the kinds ------------------------------------------------------------------------------


ACTOR_FIELDS = [
    SearchField("name", "A"),
    SearchField("short_name", "A"),
    SearchField("city", "B"),
    SearchField("description", "C"),
    SearchField("mission", "C"),
]
PROJECT_FIELDS = [
    SearchField("title", "A"),
    SearchField("summary", "B"),
    SearchField("city", "B"),
    SearchField("neighbourhood", "B"),
    SearchField("description", "C"),
    SearchField("lessons_learned", "C"),
    SearchField("transferability", "C"),
]
DOCUMENT_FIELDS = [SearchField("title", "A"), SearchField("description", "B")]
PUBLICATION_FIELDS = [*DOCUMENT_FIELDS, SearchField("summary", "B")]


def _actor_group(backend, limit: int) -> ResultGroup:
    actors = list(
        backend.apply(Actor.objects.published().select_related("sector"), ACTOR_FIELDS).order_by(
            "-score", Lower("name"), "pk"
        )[:limit]
    )
    hits = [
        Hit(
            kind="actor",
            title=actor.display_name,
            url=actor.get_absolute_url(),
            snippet=backend.highlighter.snippet(
                [markdown_text(actor.description), actor.mission, actor.city]
            ),
            obj=actor,
            score=actor.score,
        )
        for actor in actors
    ]
    return ResultGroup("actors", GROUP_LABELS["actors"], hits, _total(actors))


def _programme_text() -> Coalesce:
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


def _speakers_text() -> Coalesce:
    return joined_text(
        Speaker.objects.filter(programme_item__event=OuterRef("pk")),
        "programme_item__event",
        "name",
    )


def _speakers_contain(word: str) -> Exists:
    return Exists(
        Speaker.objects.filter(programme_item__event=OuterRef("pk"), name__icontains=word)
    )


EVENT_FIELDS = [
    SearchField("title", "A"),
    SearchField("summary", "B"),
    SearchField("description", "C"),
    # Results are public only with the documentation.
    SearchField("results", "C", only_if=Q(documentation_published=True)),
]
EVENT_RELATED = [
    RelatedText("C", text=_programme_text, contains=_programme_contains),
    RelatedText("C", text=_speakers_text, contains=_speakers_contain),
]


def _event_group(backend, limit: int) -> ResultGroup:
    programme = Prefetch(
        "programme_items", queryset=ProgrammeItem.objects.prefetch_related("speakers")
    )
    events = list(
        backend.apply(Event.objects.published(), EVENT_FIELDS, EVENT_RELATED)
        .prefetch_related(programme)
        .order_by("-score", "-start", "pk")[:limit]
    )
    hits = []
    for event in events:
        texts = [event.summary, markdown_text(event.description)]
        if event.documentation_published:
            texts.append(markdown_text(event.results))
        for item in event.programme_items.all():
            texts.append(" – ".join(part for part in (item.title, item.description) if part))
            texts.extend(
                ", ".join(part for part in (speaker.name, speaker.function) if part)
                for speaker in item.speakers.all()
            )
        hits.append(
            Hit(
                kind="event",
                title=event.title,
                url=event.get_absolute_url(),
                snippet=backend.highlighter.snippet(texts),
                obj=event,
                score=event.score,
            )
        )
    return ResultGroup("events", GROUP_LABELS["events"], hits, _total(events))


def _project_group(backend, limit: int) -> ResultGroup:
    projects = list(
        backend.apply(Project.objects.published(), PROJECT_FIELDS).order_by(
            "-score", "title", "pk"
        )[:limit]
    )
    hits = [
        Hit(
            kind="project",
            title=project.title,
            url=project.get_absolute_url(),
            snippet=backend.highlighter.snippet(
                [
                    project.summary,
                    markdown_text(project.description),
                    markdown_text(project.lessons_learned),
                    markdown_text(project.transferability),
                    ", ".join(part for part in (project.neighbourhood, project.city) if part),
                ]
            ),
            obj=project,
            score=project.score,
        )
        for project in projects
    ]
    return ResultGroup("projects", GROUP_LABELS["projects"], hits, _total(projects))


def _document_group(backend, limit: int) -> ResultGroup:
    event_documents = list(
        backend.apply(
            EventDocument.objects.filter(
                event__in=Event.objects.published().with_documentation()
            ).select_related("event"),
            DOCUMENT_FIELDS,
        ).order_by("-score", "title", "pk")[:limit]
    )
    project_documents = list(
        backend.apply(
            ProjectDocument.objects.filter(project__in=Project.objects.published()).select_related(
                "project"
            ),
            DOCUMENT_FIELDS,
        ).order_by("-score", "title", "pk")[:limit]
    )
    publications = list(
        backend.apply(
            Publication.objects.published(),
            PUBLICATION_FIELDS,
        ).order_by("-score", "-published_on", "pk")[:limit]
    )
    hits = [
        *(
            Hit(
                kind="event_document",
                title=document.title,
                url=reverse(
                    "events:document",
                    kwargs={
                        "slug": document.event.slug,
                        "pk": document.pk,
                        "filename": document.download_name,
                    },
                ),
                snippet=backend.highlighter.snippet([document.description]),
                obj=document,
                score=document.score,
            )
            for document in event_documents
        ),
        *(
            Hit(
                kind="project_document",
                title=document.title,
                url=reverse(
                    "projects:document",
                    kwargs={
                        "slug": document.project.slug,
                        "pk": document.pk,
                        "filename": document.download_name,
                    },
                ),
                snippet=backend.highlighter.snippet([document.description]),
                obj=document,
                score=document.score,
            )
            for document in project_documents
        ),
        *(
            Hit(
                kind="publication",
                title=publication.title,
                url=publication.get_absolute_url(),
                snippet=backend.highlighter.snippet([publication.summary, publication.description]),
                obj=publication,
                score=publication.score,
            )
            for publication in publications
        ),
    ]
    hits.sort(key=lambda hit: (-hit.score, hit.title.lower()))
    total = _total(event_documents) + _total(project_documents) + _total(publications)
    return ResultGroup("documents", GROUP_LABELS["documents"], hits[:limit], total)


def _total(rows: list) -> int:
    return rows[0].total if rows else 0


# --- snippets -------------------------------------------------------------------------------


def markdown_text(text: str) -> str:
    """Staff-written Markdown as the plain text a visitor reads on the page."""
    if not text:
        return ""
    return html.unescape(strip_tags(render_markdown(text)))


_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_WORD = re.compile(r"\w+")


def _normalise(word: str) -> str:
    """As PostgreSQL's German stemmer compares: lower case, umlauts without their dots."""
    return word.lower().translate(_UMLAUTS)


class Highlighter:
    """Finds the matched words in a text and makes an escaped snippet with ``<mark>``.

    With ``stems`` (PostgreSQL), every word that starts with one of the stems is marked, so
    "Quartieren" is marked for the stem "quartier". With ``substrings`` (SQLite), every
    occurrence of a search word is marked, as the database matched it.
    """

    def __init__(self, *, stems: list[str] = (), substrings: list[str] = ()):
        self.stems = [_normalise(stem) for stem in stems]
        self.pattern = (
            re.compile(
                "|".join(re.escape(word) for word in sorted(substrings, key=len, reverse=True)),
                re.IGNORECASE,
            )
            if substrings
            else None
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.pattern is not None:
            return [match.span() for match in self.pattern.finditer(text)]
        return [
            match.span()
            for match in _WORD.finditer(text)
            if any(_normalise(match.group()).startswith(stem) for stem in self.stems)
        ]

    def snippet(self, texts: list[str], length: int = SNIPPET_LENGTH) -> SafeString:
        """A piece of the first text with a match, around the match; else the first text."""
        texts = [re.sub(r"\s+", " ", text).strip() for text in texts if text and text.strip()]
        if not texts:
            return mark_safe("")  # noqa: S308 - empty
        for text in texts:
            spans = self.spans(text)
            if spans:
                return self._render(text, spans, around=spans[0][0], length=length)
        return self._render(texts[0], [], around=0, length=length)

    def _render(self, text: str, spans, *, around: int, length: int) -> SafeString:
        start = 0
        if len(text) > length and around > length // 4:
            # Begin at a word boundary a little before the first match.
            start = text.rfind(" ", 0, around - length // 4) + 1
        end = min(len(text), start + length)
        if end < len(text):
            space = text.rfind(" ", start, end)
            if space > around:
                end = space
        pieces = ["…" if start > 0 else ""]
        position = start
        for span_start, span_end in spans:
            if span_end <= start or span_start >= end:
                continue
            span_start, span_end = max(span_start, start), min(span_end, end)
            pieces.append(escape(text[position:span_start]))
            pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
            position = span_end
        pieces.append(escape(text[position:end]))
        if end < len(text):
            pieces.append("…")
        return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped above
