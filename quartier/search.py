"""The search engine behind /suche/?q=: backends, ranking, snippets. It knows no app.

Each app declares what of it can be found in its ``search.py``: a ``SearchKind`` per model with
the fields and their weights, related text (such as an event's programme), the texts a snippet
is taken from, and the public queryset (a queryset verb, ``searchable()``), so that only what
the public may see is ever searched. The site composes the kinds into result groups
(``quartier/site/search.py``). What is searched is stored in an index (``search_index.py``):
a search reads the words of each row, it never builds them.

On PostgreSQL the search is full-text with the German configuration over the stored weighted
vectors, under a GIN index: "Quartiere" finds "Quartier", words in titles weigh more than
words in descriptions, and results are ranked (``ts_rank``). On SQLite (the embedded default,
and one of the two test databases) FTS5 searches the stored texts: every word must match as
the beginning of a word, after a light German stemming ("Quartiere" and "Quartiers" search
for quartier…, "Gärten" for gart…), with case and umlauts folded, ranked by bm25 with the same
weights. Only an SQLite without FTS5 falls back to rows that contain every word somewhere.

A search costs one query for the matches of every kind (what the public may see of them, the
best ranked and the number of each kind), then one query for each kind that has hits, plus
what its queryset prefetches. PostgreSQL adds one query that tells which stems to highlight.

Snippets are made in Python from plain text: editor content is escaped first and only then are
the matched words wrapped in ``<mark>``, so nothing an editor writes reaches the page as HTML.
"""

import functools
import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import (
    Case,
    Count,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from . import search_index
from .markdown import render_markdown
from .models import SearchEntry

MAX_QUERY_LENGTH = 200
RESULTS_PER_KIND = 10
# More words than this are ignored on SQLite: the fallback builds a condition per word and
# field (SQLite limits how deep an expression may nest), and every FTS5 prefix is a range scan.
MAX_SQLITE_WORDS = 10
# Rows of one kind that share the best scores and are handed to the kind's own ordering (a
# thousand equal documents): beyond this, the newest of them.
TIED_AT_MOST = 200
SNIPPET_LENGTH = 220
# Weights of full-text search (A counts most): FTS5's bm25 per column as PostgreSQL's ts_rank
# weighs them by default; points per matching field in the SQLite fallback.
FTS5_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
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


def backend_for(query: str):
    """The backend this database searches with (FTS5 is detected once per process)."""
    if connection.vendor == "postgresql":
        return PostgresBackend(query)
    if search_index.uses_fts5():
        return Fts5Backend(query)
    return FallbackBackend(query)


def search(
    raw_query: str, groups: Sequence["SearchGroup"], *, limit: int = RESULTS_PER_KIND
) -> SearchOutcome:
    """The things of every group that match the query, at most ``limit`` per kind."""
    query = clean_query(raw_query)
    if not query:
        return SearchOutcome(query=query, problem="empty")
    if len(query) > MAX_QUERY_LENGTH:
        return SearchOutcome(query=query, problem="too_long")
    backend = backend_for(query)
    if not backend.searchable:
        # Only punctuation, or only words too common to search for: nothing found.
        results = [ResultGroup(group.key, group.label, [], 0) for group in groups]
        return SearchOutcome(query=query, groups=results)
    found = backend.find([kind for group in groups for kind in group.kinds], limit)
    results = [group.result(found, limit) for group in groups]
    return SearchOutcome(query=query, groups=results, words_ignored=backend.words_ignored)


# --- what apps declare ----------------------------------------------------------------------


@dataclass(frozen=True)
class SearchField:
    """A text field of the row, how much a match there counts (A most), and where it counts:
    ``only_if`` leaves it out of rows where the condition does not hold."""

    name: str
    weight: str
    only_if: Q | None = None


@dataclass(frozen=True)
class RelatedText:
    """Text in rows of another model, such as the programme of an event: the ``fields`` of the
    ``model``'s rows that lead to the searchable row by ``path`` ("event",
    "programme_item__event"). The index joins their texts under ``weight``, and renews the
    entry whenever such a row is saved or deleted."""

    weight: str
    model: type[models.Model]
    path: str
    fields: tuple[str, ...]

    def contains(self, word: str) -> Exists:
        """Whether one of the rows contains the word (the SQLite fallback)."""
        matches = Q()
        for name in self.fields:
            matches |= Q(**{f"{name}__icontains": word})
        rows = self.model._default_manager.filter(**{self.path: OuterRef("pk")})
        return Exists(rows.filter(matches))


class SearchKind:
    """One model that the site search finds, as its app declares it (in ``<app>/search.py``).

    ``fields`` and ``related`` are searched and weighted; ``queryset()`` is what the public may
    see, with everything a hit shows fetched in a fixed number of queries; ``ordering`` orders
    hits of the same score. The app registers the kind in its ``AppConfig.ready()`` with
    ``search_index.keep_current``, so that the index follows its rows.
    """

    kind: str = ""  # names the hit for the results page: actor, event, event_document …
    fields: Sequence[SearchField] = ()
    related: Sequence[RelatedText] = ()
    ordering: Sequence[Any] = ("pk",)

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    @property
    def model(self) -> type[models.Model]:
        return self.queryset().model

    def title(self, obj) -> str:
        return str(obj)

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def snippet_texts(self, obj) -> list[str | Callable[[], str]]:
        """Plain texts the snippet is taken from, the most telling first (Markdown through
        ``markdown_text_later``)."""
        raise NotImplementedError

    def hits(self, rows, highlighter: "Highlighter") -> list[Hit]:
        return [
            Hit(
                kind=self.kind,
                title=self.title(row),
                url=self.url(row),
                snippet=highlighter.snippet(self.snippet_texts(row)),
                obj=row,
                score=row.score,
            )
            for row in rows
        ]


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

    def result(self, found: dict[str, tuple[list[Hit], int]], limit: int) -> ResultGroup:
        hits, total = [], 0
        for kind in self.kinds:
            kind_hits, kind_total = found[kind.kind]
            hits.extend(kind_hits)
            total += kind_total
        if len(self.kinds) > 1:
            hits.sort(key=lambda hit: (-hit.score, hit.title.lower()))
        return ResultGroup(self.key, self.label, hits[:limit], total)


# --- backends over the index ----------------------------------------------------------------


# The SQL of the backends names the index's own tables; every value, the visitor's words among
# them, is a parameter (so the "noqa: S608" where a statement is put together).


class IndexBackend:
    """Searches the stored index: one query finds, for every kind, the public rows that match,
    ranks them and counts them; then each kind with hits fetches its best rows.

    The kind's best rows are those with the ``limit`` best scores, and all that share them:
    their order among equals is the kind's (the newest event first), as the kind's own query
    orders them.
    """

    searchable = True
    words_ignored = False
    highlighter: "Highlighter"

    def matches_sql(self, visible: str) -> tuple[str, list]:
        """``SELECT kind, object_id, score`` of the entries that match, ``visible`` the
        condition on the entry (alias ``entry``) that its row is public."""
        raise NotImplementedError

    def find(self, kinds: Sequence[SearchKind], limit: int) -> dict[str, tuple[list[Hit], int]]:
        conditions, params = [], []
        for kind in kinds:
            rows = kind.queryset().order_by().values("pk")
            sql, row_params = rows.query.sql_with_params()
            conditions.append(f"(entry.kind = %s AND entry.object_id IN ({sql}))")
            params += [kind.kind, *row_params]
        matches, match_params = self.matches_sql(" OR ".join(conditions))
        # The best of each kind, with those that share their scores, and how many there are.
        sql = (
            "SELECT kind, object_id, score, total FROM ("  # noqa: S608
            " SELECT kind, object_id, score,"
            "  RANK() OVER (PARTITION BY kind ORDER BY score DESC) AS place,"
            "  ROW_NUMBER() OVER (PARTITION BY kind ORDER BY score DESC, object_id DESC)"
            "   AS position,"
            "  COUNT(*) OVER (PARTITION BY kind) AS total"
            f" FROM ({matches}) AS matched"
            ") AS ranked WHERE place <= %s AND position <= %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*match_params, *params, limit, TIED_AT_MOST])
            candidates = cursor.fetchall()
        scores: dict[str, dict[int, float]] = defaultdict(dict)
        totals: dict[str, int] = {}
        for kind_name, object_id, score, total in candidates:
            scores[kind_name][object_id] = score
            totals[kind_name] = total
        return {
            kind.kind: (self._hits(kind, scores[kind.kind], limit), totals.get(kind.kind, 0))
            for kind in kinds
        }

    def _hits(self, kind: SearchKind, scores: dict[int, float], limit: int) -> list[Hit]:
        if not scores:
            return []
        by_score = defaultdict(list)
        for object_id, score in scores.items():
            by_score[score].append(object_id)
        score = Case(
            *(When(pk__in=ids, then=Value(value)) for value, ids in by_score.items()),
            default=Value(0.0),
            output_field=FloatField(),
        )
        rows = (
            kind.queryset()
            .filter(pk__in=list(scores))
            .annotate(score=score)
            .order_by("-score", *kind.ordering)[:limit]
        )
        return kind.hits(rows, self.highlighter)


class PostgresBackend(IndexBackend):
    """Full-text search with the German configuration over the stored weighted vectors."""

    config = search_index.CONFIG

    def __init__(self, query: str):
        self.query = query
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

    def matches_sql(self, visible: str) -> tuple[str, list]:
        # The GIN index finds the entries; ts_rank with its default weights (A 1, B 0.4,
        # C 0.2, D 0.1) scores only those.
        sql = (
            "SELECT entry.kind, entry.object_id, ts_rank(entry.vector, query) AS score"  # noqa: S608
            f" FROM {SearchEntry._meta.db_table} AS entry,"
            " websearch_to_tsquery(%s::regconfig, %s) AS query"
            f" WHERE entry.vector @@ query AND ({visible})"
        )
        return sql, [self.config, self.query]


class Fts5Backend(IndexBackend):
    """SQLite's FTS5 over the stored texts, with prefixes of lightly stemmed words."""

    def __init__(self, query: str):
        terms = search_terms(query)
        self.words_ignored = len(terms) > MAX_SQLITE_WORDS
        terms = terms[:MAX_SQLITE_WORDS]
        self.searchable = bool(terms)
        # Every term quoted, so that nothing a visitor types is FTS5 syntax (AND, NEAR, -, *,
        # quotes, brackets); terms are letters and digits only. Terms in a row: all must match.
        self.match = " ".join(f'"{term}"*' if is_prefix(term) else f'"{term}"' for term in terms)
        self.highlighter = Highlighter(
            stems=[term for term in terms if is_prefix(term)],
            words=[term for term in terms if not is_prefix(term)],
        )

    def matches_sql(self, visible: str) -> tuple[str, list]:
        table = search_index.FTS_TABLE
        weights = ", ".join(str(weight) for weight in FTS5_WEIGHTS.values())
        # bm25 is lower for better matches.
        sql = (
            f"SELECT entry.kind, entry.object_id, -bm25({table}, {weights}) AS score"  # noqa: S608
            f" FROM {table} JOIN {SearchEntry._meta.db_table} AS entry"
            f" ON entry.id = {table}.rowid"
            f" WHERE {table} MATCH %s AND ({visible})"
        )
        return sql, [self.match]


# --- query words on SQLite ------------------------------------------------------------------

_TERM = re.compile(r"[^\W_]+")
# Short words are matched whole: a prefix of one or two letters would match half the portal.
MIN_PREFIX = 3
# Endings of German inflection, the longest first; one is taken off where at least
# MIN_STEM letters remain ("Quartiere" → quartier, "Häusern" → haus, "Gärten" → gart).
ENDINGS = ("ern", "em", "en", "er", "es", "e", "s", "n")
MIN_STEM = 4
# Words too common to search for, as PostgreSQL's German configuration leaves them out.
STOP_WORDS = frozenset(
    """aber alle als am an auch auf aus bei bin bis bist da das dass dem den der des die doch
    du durch ein eine einem einen einer eines er es fur hat hatte ich ihr im in ist ja kein
    mit nach nicht noch nur oder sich sie sind so uber um und uns von vom vor war wie wir wird
    zu zum zur""".split()
)


def fold_word(word: str) -> str:
    """Lower case without diacritics, ß as ss: as FTS5 (and the highlighter) compare words."""
    decomposed = unicodedata.normalize("NFKD", search_index.fold(word).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def is_prefix(term: str) -> bool:
    return len(term) >= MIN_PREFIX


def search_terms(query: str) -> list[str]:
    """The query's words as FTS5 is asked for them: folded, stemmed, without common words."""
    words = [fold_word(word) for word in _TERM.findall(query)]
    return list(dict.fromkeys(stem(word) for word in words if word not in STOP_WORDS))


# --- the fallback for an SQLite without FTS5 ------------------------------------------------


class FallbackBackend:
    """Every word must appear in one of the fields (case-insensitively for ASCII letters);
    the more fields match, and the more they weigh, the higher a row is listed.

    Only for an SQLite built without FTS5: it reads every row of every kind at each search.
    """

    def __init__(self, query: str):
        words = list(dict.fromkeys(word.lower() for word in query.split()))
        words = [word for word in words if re.search(r"\w", word)]
        self.words_ignored = len(words) > MAX_SQLITE_WORDS
        self.words = words[:MAX_SQLITE_WORDS]
        self.searchable = bool(self.words)
        self.highlighter = Highlighter(substrings=self.words)

    def find(self, kinds: Sequence[SearchKind], limit: int) -> dict[str, tuple[list[Hit], int]]:
        found = {}
        for kind in kinds:
            rows = list(
                self.apply(kind, kind.queryset()).order_by("-score", *kind.ordering)[:limit]
            )
            found[kind.kind] = (kind.hits(rows, self.highlighter), rows[0].total if rows else 0)
        return found

    def apply(self, kind: SearchKind, queryset: QuerySet) -> QuerySet:
        """The rows that contain every word, with ``score`` and the number of rows (``total``)."""
        condition = Q()
        points = []
        for word in self.words:
            matches_word = Q()
            for search_field in kind.fields:
                matches = Q(**{f"{search_field.name}__icontains": word})
                if search_field.only_if is not None:
                    matches &= search_field.only_if
                matches_word |= matches
                points.append(self._points(matches, search_field.weight))
            for related_text in kind.related:
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


# --- snippets -------------------------------------------------------------------------------


def markdown_text(text: str) -> str:
    """Staff-written Markdown as the plain text a visitor reads on the page."""
    if not text:
        return ""
    return html.unescape(strip_tags(render_markdown(text)))


def markdown_text_later(text: str) -> Callable[[], str]:
    """``markdown_text(text)`` for ``snippet_texts``, rendered only if the snippet gets that
    far: rendering Markdown costs more than the rest of a hit."""
    return functools.partial(markdown_text, text)


_WORD = re.compile(r"\w+")


class Highlighter:
    """Finds the matched words in a text and makes an escaped snippet with ``<mark>``.

    With ``stems``, every word that begins with one of them is marked, as PostgreSQL's stems
    and FTS5's prefixes match it: "Quartieren" for the stem "quartier"; with ``words``, every
    word that is one of them. Words are compared folded (lower case, ä as a, ß as ss). With
    ``substrings`` (the fallback), every occurrence of a search word is marked, as the database
    matched it.
    """

    def __init__(self, *, stems: list[str] = (), words: list[str] = (), substrings: list[str] = ()):
        self.stems = [fold_word(stem) for stem in stems]
        self.words = {fold_word(word) for word in words}
        self.pattern = (
            re.compile(
                "|".join(re.escape(word) for word in sorted(substrings, key=len, reverse=True)),
                re.IGNORECASE,
            )
            if substrings
            else None
        )

    def _matches(self, word: str) -> bool:
        folded = fold_word(word)
        return folded in self.words or any(folded.startswith(stem) for stem in self.stems)

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.pattern is not None:
            return [match.span() for match in self.pattern.finditer(text)]
        return [match.span() for match in _WORD.finditer(text) if self._matches(match.group())]

    def snippet(
        self, texts: Sequence[str | Callable[[], str]], length: int = SNIPPET_LENGTH
    ) -> SafeString:
        """A piece of the first text with a match, around the match; else the first text.

        A text may be given as a function that makes it, called only when it is looked at.
        """
        first = None
        for text in texts:
            text = re.sub(r"\s+", " ", (text() if callable(text) else text) or "").strip()
            if not text:
                continue
            first = first or text
            spans = self.spans(text)
            if spans:
                return self._render(text, spans, around=spans[0][0], length=length)
        if first is None:
            return mark_safe("")  # noqa: S308 - empty
        return self._render(first, [], around=0, length=length)

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
