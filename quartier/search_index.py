"""The stored search index: one entry per searchable row, kept current as the rows change.

What of a row is searched, and how much it counts, is the app's declaration (a ``SearchKind``
in ``<app>/search.py``: fields with their weights, text of related rows such as an event's
programme). From it the index stores, per row:

- on PostgreSQL, a ``tsvector`` in the German configuration with the fields' weights
  (``SearchEntry.vector``, under a GIN index), made by one ``INSERT … SELECT`` from the row
  and its related rows;
- on SQLite, the row's texts in an FTS5 table, one column per weight (A–D), whose tokenizer
  folds case and diacritics (ä → a); ß becomes ss here and in the query, which FTS5 leaves.

A field with ``only_if`` (an event's results, public only with its documentation) is stored
only while its condition holds. Whether the public may see a row (published, not a draft) is
not stored: the search asks the app's ``searchable()`` queryset at query time, so publishing
by a bulk ``update()`` needs no new entry.

The entries change in the same transaction as the rows: a rolled-back change leaves the index
as it was, and a committed one is searchable at once. Signals do it (``keep_current``), since
rows are written by the admin and its inlines, by import, by reverting a version, by services
and by the demo, and each of these would otherwise have to remember the index. Bulk writes
that send no signals (``bulk_create``, ``update()`` of a searched field) must call
``index_objects`` or ``rebuild_search_index`` themselves.
"""

import functools
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Case,
    F,
    OuterRef,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from .models import SearchEntry

if TYPE_CHECKING:
    from .search import RelatedText, SearchKind

# The SQL here names the code's own tables and columns; every value is a parameter (so the
# "noqa: S608" where a statement is put together).
CONFIG = "german"
WEIGHTS = "ABCD"
FTS_TABLE = "quartier_searchentry_fts"
# Rows per batch when the index is built on SQLite, where the texts pass through Python.
BATCH_SIZE = 2000


# --- which index this database has ------------------------------------------------------------


@functools.cache
def sqlite_has_fts5() -> bool:
    """Whether the SQLite library Python uses was built with FTS5 (asked once per process)."""
    try:
        with sqlite3.connect(":memory:") as probe:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError:
        return False
    return True


# Per database: whether its FTS5 table exists (the migration makes it where FTS5 is built in).
_fts_table_exists: dict[str, bool] = {}


def uses_fts5() -> bool:
    """Whether this database searches with FTS5: SQLite with FTS5 and its table."""
    if connection.vendor != "sqlite" or not sqlite_has_fts5():
        return False
    name = str(connection.settings_dict["NAME"])
    if name not in _fts_table_exists:
        _fts_table_exists[name] = FTS_TABLE in connection.introspection.table_names()
    return _fts_table_exists[name]


def has_index() -> bool:
    """Whether searches use the stored index (else the SQLite fallback searches the rows)."""
    return connection.vendor == "postgresql" or uses_fts5()


def create_fts_table(schema_editor) -> None:
    """The FTS5 table and the trigger that removes a row's words with its entry (SQLite)."""
    columns = ", ".join(weight.lower() for weight in WEIGHTS)
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    entries = SearchEntry._meta.db_table
    schema_editor.execute(
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON {entries} "  # noqa: S608
        f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END"
    )
    _fts_table_exists.clear()


def drop_fts_table(schema_editor) -> None:
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    _fts_table_exists.clear()


def fold(text: str) -> str:
    """Text as FTS5 gets it: its tokenizer folds case and diacritics, but not ß."""
    return text.replace("ß", "ss").replace("ẞ", "ss")


# --- what an entry is made of -----------------------------------------------------------------


class _GroupConcat(Aggregate):
    """SQLite's GROUP_CONCAT with a space between the texts."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = TextField()


def _text_of(*names: str):
    """The fields' texts joined by spaces, as one expression."""
    parts = []
    for name in names:
        if parts:
            parts.append(Value(" "))
        parts.append(Coalesce(F(name), Value(""), output_field=TextField()))
    return parts[0] if len(parts) == 1 else Concat(*parts, output_field=TextField())


def joined_text(related: "RelatedText"):
    """The texts of the related rows of the searchable row, joined into one (a subquery)."""
    text = _text_of(*related.fields)
    join = (
        StringAgg(text, delimiter=" ") if connection.vendor == "postgresql" else _GroupConcat(text)
    )
    texts = (
        related.model._base_manager.filter(**{related.path: OuterRef("pk")})
        .order_by()
        .values(related.path)
        .annotate(text=join)
        .values("text")
    )
    return Coalesce(Subquery(texts, output_field=TextField()), Value(""), output_field=TextField())


def _field_text(search_field):
    text = Coalesce(F(search_field.name), Value(""), output_field=TextField())
    if search_field.only_if is None:
        return text
    return Case(When(search_field.only_if, then=text), default=Value(""), output_field=TextField())


def _texts_by_weight(kind: "SearchKind") -> dict[str, list]:
    texts = {weight: [] for weight in WEIGHTS}
    for search_field in kind.fields:
        texts[search_field.weight].append(_field_text(search_field))
    for related in kind.related:
        texts[related.weight].append(joined_text(related))
    return texts


def vector_expression(kind: "SearchKind"):
    """The row's weighted tsvector (PostgreSQL)."""
    parts = [
        SearchVector(text, config=CONFIG, weight=weight)
        for weight, texts in _texts_by_weight(kind).items()
        for text in texts
    ]
    return sum(parts[1:], start=parts[0])


def text_expressions(kind: "SearchKind") -> dict[str, object]:
    """The row's texts, one per weight, named a–d as the FTS5 table's columns (SQLite)."""
    expressions = {}
    for weight, texts in _texts_by_weight(kind).items():
        parts = []
        for text in texts:
            if parts:
                parts.append(Value(" "))
            parts.append(text)
        if not parts:
            expressions[weight.lower()] = Value("", output_field=TextField())
        elif len(parts) == 1:
            expressions[weight.lower()] = parts[0]
        else:
            expressions[weight.lower()] = Concat(*parts, output_field=TextField())
    return expressions


# --- writing entries --------------------------------------------------------------------------


def _rows(kind: "SearchKind", object_ids: Iterable[int] | None):
    rows = kind.model._base_manager.order_by()
    if object_ids is not None:
        rows = rows.filter(pk__in=list(object_ids))
    return rows


def index_objects(kind: "SearchKind", object_ids: Iterable[int]) -> None:
    """New entries for these rows of the kind (rows that no longer exist are left out)."""
    object_ids = sorted({pk for pk in object_ids if pk is not None})
    if not object_ids or not has_index():
        return
    for start in range(0, len(object_ids), BATCH_SIZE):
        batch = object_ids[start : start + BATCH_SIZE]
        if connection.vendor == "postgresql":
            _index_postgres(kind, _rows(kind, batch))
        else:
            _index_sqlite(kind, _rows(kind, batch))


def remove_objects(kind: "SearchKind", object_ids: Iterable[int]) -> None:
    """The entries of rows that were deleted (on SQLite the trigger removes their words)."""
    object_ids = [pk for pk in object_ids if pk is not None]
    if object_ids:
        _delete_entries(kind, object_ids)


def _delete_entries(kind: "SearchKind", object_ids: list[int] | None = None) -> None:
    # In SQL: the entries are the index's own rows, with nothing to signal or collect.
    sql = f"DELETE FROM {SearchEntry._meta.db_table} WHERE kind = %s"  # noqa: S608
    params = [kind.kind]
    if object_ids is not None:
        sql += f" AND object_id IN ({', '.join(['%s'] * len(object_ids))})"
        params += object_ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _index_postgres(kind: "SearchKind", rows) -> None:
    rows = rows.annotate(search_vector=vector_expression(kind)).values_list("pk", "search_vector")
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SearchEntry._meta.db_table} (kind, object_id, vector) "  # noqa: S608
            f"SELECT %s, found.object_id, found.vector FROM ({sql}) AS found (object_id, vector) "
            "ON CONFLICT (kind, object_id) DO UPDATE SET vector = EXCLUDED.vector",
            [kind.kind, *params],
        )


def _index_sqlite(kind: "SearchKind", rows) -> None:
    columns = [weight.lower() for weight in WEIGHTS]
    found = list(rows.annotate(**text_expressions(kind)).values_list("pk", *columns))
    if not found:
        return
    object_ids = [row[0] for row in found]
    entry_ids = dict(
        SearchEntry.objects.filter(kind=kind.kind, object_id__in=object_ids).values_list(
            "object_id", "id"
        )
    )
    new = [SearchEntry(kind=kind.kind, object_id=pk) for pk in object_ids if pk not in entry_ids]
    SearchEntry.objects.bulk_create(new, batch_size=BATCH_SIZE)
    entry_ids.update((entry.object_id, entry.pk) for entry in new)
    placeholders = ", ".join(["%s"] * len(found))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})",  # noqa: S608
            [entry_ids[pk] for pk in object_ids],
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(columns)}) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
            [(entry_ids[pk], *(fold(text or "") for text in texts)) for pk, *texts in found],
        )


def rebuild(kinds: Sequence["SearchKind"]) -> dict[str, int]:
    """Every entry of these kinds made anew from the rows; how many each kind has.

    For bulk loads and imports that send no signals. Set-based on PostgreSQL (one statement a
    kind), in batches on SQLite.
    """
    counts = {}
    with transaction.atomic():
        if connection.vendor == "sqlite" and sqlite_has_fts5() and not uses_fts5():
            # The migration ran where SQLite had no FTS5; it has now.
            with connection.schema_editor() as schema_editor:
                create_fts_table(schema_editor)
        for kind in kinds:
            _delete_entries(kind)
            if connection.vendor == "postgresql":
                _index_postgres(kind, _rows(kind, None))
            elif uses_fts5():
                last = 0
                while True:
                    batch = list(
                        _rows(kind, None)
                        .filter(pk__gt=last)
                        .order_by("pk")
                        .values_list("pk", flat=True)[:BATCH_SIZE]
                    )
                    if not batch:
                        break
                    _index_sqlite(kind, _rows(kind, batch))
                    last = batch[-1]
            counts[kind.kind] = SearchEntry.objects.filter(kind=kind.kind).count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner needs to know the new rows to choose the GIN index.
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
        elif uses_fts5():
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608
            # SQLite keeps no statistics until asked; without them it joins the apps' tables
            # to the matches the slow way round after a bulk load (a fraction of a second).
            cursor.execute("ANALYZE")
    return counts


# --- keeping entries current ------------------------------------------------------------------

_registered: dict[str, "SearchKind"] = {}


def registered_kinds() -> list["SearchKind"]:
    """The kinds whose index is kept current, as the apps registered them."""
    return list(_registered.values())


def keep_current(*kinds: "SearchKind") -> None:
    """Update the kinds' entries whenever one of their rows or related rows is saved or deleted.

    Called from each app's ``AppConfig.ready()``.
    """
    for kind in kinds:
        _registered[kind.kind] = kind
        watcher = _RowWatcher(kind)
        uid = f"search-index:{kind.kind}"
        post_save.connect(watcher.saved, sender=kind.model, weak=False, dispatch_uid=uid)
        post_delete.connect(watcher.deleted, sender=kind.model, weak=False, dispatch_uid=uid)
        for number, related in enumerate(kind.related):
            watcher = _RelatedWatcher(kind, related)
            uid = f"search-index:{kind.kind}:{number}"
            sender = related.model
            pre_save.connect(watcher.before, sender=sender, weak=False, dispatch_uid=uid)
            post_save.connect(watcher.after, sender=sender, weak=False, dispatch_uid=uid)
            pre_delete.connect(watcher.before, sender=sender, weak=False, dispatch_uid=uid)
            post_delete.connect(watcher.after, sender=sender, weak=False, dispatch_uid=uid)


class _RowWatcher:
    def __init__(self, kind: "SearchKind"):
        self.kind = kind

    # Saves of loaded data and of reverted versions (raw=True) count too.
    def saved(self, sender, instance, **kwargs) -> None:
        index_objects(self.kind, [instance.pk])

    def deleted(self, sender, instance, **kwargs) -> None:
        remove_objects(self.kind, [instance.pk])


class _RelatedWatcher:
    """A related row names its searchable row through ``path``; before a change it may have
    named another one (a programme item moved to another event), so both are updated."""

    def __init__(self, kind: "SearchKind", related: "RelatedText"):
        self.kind = kind
        self.related = related
        self.key = f"_search_index_{kind.kind}_{kind.related.index(related)}"

    def _targets_in_database(self, instance) -> set[int]:
        if instance.pk is None:
            return set()
        manager = type(instance)._base_manager
        return set(manager.filter(pk=instance.pk).values_list(self.related.path, flat=True))

    def _targets_now(self, instance) -> set[int]:
        first, _, rest = self.related.path.partition("__")
        field = instance._meta.get_field(first)
        value = getattr(instance, field.attname)
        if value is None or not rest:
            return {value}
        return set(field.related_model._base_manager.filter(pk=value).values_list(rest, flat=True))

    def before(self, sender, instance, **kwargs) -> None:
        instance.__dict__[self.key] = self._targets_in_database(instance)

    def after(self, sender, instance, created=None, **kwargs) -> None:
        targets = instance.__dict__.pop(self.key, set())
        if created is not None:  # saved, not deleted: it may name another row now
            targets |= self._targets_now(instance)
        index_objects(self.kind, targets)
