"""The search engine behind /suche/?q=: backends, ranking, snippets. It knows no app.

On PostgreSQL the search is full-text with the German configuration: "Quartiere" finds
"Quartier", words in titles weigh more than words in descriptions, and results are ranked. On
SQLite (development, and one of the two test databases) a simpler fallback finds the things
that contain every word somewhere in their fields and orders them by how many fields match.

Each app declares what of it can be found in its ``search.py``: a ``SearchKind`` per model with
the fields and their weights, related text (such as an event's programme), the texts a snippet
is taken from, and the public queryset (a queryset verb, ``searchable()``), so that only what
the public may see is ever searched. The site composes the kinds into result groups
(``quartier/site/search.py``).

Snippets are made in Python from plain text: editor content is escaped first and only then are
the matched words wrapped in ``<mark>``, so nothing an editor writes reaches the page as HTML.
Each kind costs one query, plus what its queryset prefetches; PostgreSQL adds one query that
tells which word stems to highlight.
"""

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
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
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

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

    kind: str  # the SearchKind's name, e.g. "actor"; the results page shows each kind its way
    title: str
    url: str
    snippet: SafeString
    obj: Any
    score: float = 0.0


@dataclass
class ResultGroup:
    key: str  # the SearchGroup's key
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


def search(
    raw_query: str, groups: Sequence["SearchGroup"], *, limit: int = RESULTS_PER_KIND
) -> SearchOutcome:
    """The things of every group that match the query, at most ``limit`` per kind."""
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
        results = [ResultGroup(group.key, group.label, [], 0) for group in groups]
        return SearchOutcome(query=query, groups=results)
    results = [group.find(backend, limit) for group in groups]
    return SearchOutcome(query=query, groups=results, words_ignored=backend.words_ignored)


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


# --- what apps declare, and how the site groups it ------------------------------------------


class SearchKind:
    """One model that the site search finds, as its app declares it (in ``<app>/search.py``).

    ``fields`` and ``related`` are searched and weighted; ``queryset()`` is what the public may
    see, with everything a hit shows fetched in a fixed number of queries; ``ordering`` orders
    hits of the same score.
    """

    kind: str = ""  # names the hit for the results page: actor, event, event_document …
    fields: Sequence[SearchField] = ()
    related: Sequence[RelatedText] = ()
    ordering: Sequence[Any] = ("pk",)

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def title(self, obj) -> str:
        return str(obj)

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def snippet_texts(self, obj) -> list[str]:
        """Plain texts the snippet is taken from, the most telling first."""
        raise NotImplementedError

    def find(self, backend, limit: int) -> tuple[list[Hit], int]:
        """The best ``limit`` hits and how many there are in all."""
        rows = list(
            backend.apply(self.queryset(), list(self.fields), list(self.related)).order_by(
                "-score", *self.ordering
            )[:limit]
        )
        hits = [
            Hit(
                kind=self.kind,
                title=self.title(row),
                url=self.url(row),
                snippet=backend.highlighter.snippet(self.snippet_texts(row)),
                obj=row,
                score=row.score,
            )
            for row in rows
        ]
        return hits, (rows[0].total if rows else 0)


class DocumentSearch(SearchKind):
    """A downloadable document (``quartier.media.PublicDocument``) of some app: found by its title
    and description, and linked to its download. An app names the ``kind`` and the queryset."""

    fields = (SearchField("title", "A"), SearchField("description", "B"))
    ordering = ("title", "pk")

    def title(self, document) -> str:
        return document.title

    def url(self, document) -> str:
        return document.get_download_url()

    def snippet_texts(self, document) -> list[str]:
        return [document.description]


@dataclass(frozen=True)
class SearchGroup:
    """A group of results on the page. Several kinds in one group are merged by score."""

    key: str
    label: str
    kinds: Sequence[SearchKind]

    def find(self, backend, limit: int) -> ResultGroup:
        if len(self.kinds) == 1:
            hits, total = self.kinds[0].find(backend, limit)
            return ResultGroup(self.key, self.label, hits, total)
        hits, total = [], 0
        for kind in self.kinds:
            kind_hits, kind_total = kind.find(backend, limit)
            hits.extend(kind_hits)
            total += kind_total
        hits.sort(key=lambda hit: (-hit.score, hit.title.lower()))
        return ResultGroup(self.key, self.label, hits[:limit], total)


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
