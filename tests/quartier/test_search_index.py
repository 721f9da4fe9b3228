"""The stored search index: kept current by every way a row changes, rebuilt on demand, filled
by its migration, and read in a fixed number of queries.

These run on SQLite (FTS5) and on PostgreSQL (tsvector with GIN); what only one of them does is
marked or skipped.
"""

import datetime
import io
from importlib import import_module
from types import SimpleNamespace

import pytest
import reversion
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from actors.models import Actor
from events import services as event_services
from events.models import Event, ProgrammeItem, Speaker
from projects.models import Project
from quartier import search, search_index
from quartier.models import SearchEntry
from quartier.site.search import GROUPS, site_search
from tests.actors.factories import ActorFactory, OfferOrNeedFactory
from tests.events.factories import (
    BERLIN,
    EventDocumentFactory,
    EventFactory,
    ProgrammeItemFactory,
    SpeakerFactory,
)
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def found(query: str) -> set[str]:
    return {hit.title for group in site_search(query).groups for hit in group.hits}


@pytest.fixture
def event():
    event = EventFactory(title="Werkstattgespräch Mobilität", summary="Wege im Viertel.")
    item = ProgrammeItemFactory(event=event, title="Lastenrad", description="Ein Vortrag.")
    SpeakerFactory(programme_item=item, name="Erika Musterfrau")
    return event


# --- kept current ---------------------------------------------------------------------------


def test_every_kind_the_site_search_finds_is_kept_current():
    registered = {kind.kind for kind in search_index.registered_kinds()}
    assert {kind.kind for group in GROUPS for kind in group.kinds} <= registered


def test_an_edited_actor_is_found_by_its_new_name_only():
    actor = ActorFactory(name="Stadtteilladen Kiebitz")
    assert found("Kiebitz") == {"Stadtteilladen Kiebitz"}
    actor.name = "Stadtteilladen Zaunkönig"
    actor.save()
    assert found("Kiebitz") == set()
    assert found("Zaunkönig") == {"Stadtteilladen Zaunkönig"}


def test_an_edited_programme_item_changes_what_finds_its_event(event):
    assert found("Lastenrad") == {"Werkstattgespräch Mobilität"}
    item = event.programme_items.get()
    item.title = "Tauschbörse"
    item.save()
    assert found("Lastenrad") == set()
    assert found("Tauschbörse") == {"Werkstattgespräch Mobilität"}


def test_a_speaker_edited_added_and_deleted(event):
    speaker = Speaker.objects.get(name="Erika Musterfrau")
    speaker.name = "Erika Beispielfrau"
    speaker.save()
    assert found("Musterfrau") == set()
    assert found("Beispielfrau") == {"Werkstattgespräch Mobilität"}
    SpeakerFactory(programme_item=speaker.programme_item, name="Max Mustermann")
    assert found("Mustermann") == {"Werkstattgespräch Mobilität"}
    speaker.delete()
    assert found("Beispielfrau") == set()
    assert found("Mustermann") == {"Werkstattgespräch Mobilität"}


def test_a_programme_item_moved_to_another_event(event):
    other = EventFactory(title="Netzwerktreffen Ost")
    item = event.programme_items.get()
    item.event = other
    item.save()
    assert found("Lastenrad") == {"Netzwerktreffen Ost"}
    assert found("Musterfrau") == {"Netzwerktreffen Ost"}


def test_a_deleted_programme_item_takes_its_speakers_words_along(event):
    event.programme_items.get().delete()
    assert found("Lastenrad") == set()
    assert found("Musterfrau") == set()
    assert found("Mobilität") == {"Werkstattgespräch Mobilität"}


def test_a_deleted_event_leaves_no_entry(event):
    EventDocumentFactory(event=event, title="Protokoll Mobilität")
    event.delete()
    assert found("Mobilität") == set()
    assert not SearchEntry.objects.filter(kind__in=["event", "event_document"]).exists()


def test_a_reverted_event_is_found_as_it_was_again(event):
    with reversion.create_revision():
        event.save()
    item = event.programme_items.get()
    item.title = "Tauschbörse"
    item.save()
    item.speakers.get().delete()
    SpeakerFactory(programme_item=item, name="Max Mustermann")
    assert found("Lastenrad") == set()

    Version.objects.get_for_object(event).first().revision.revert(delete=True)

    assert found("Lastenrad") == {"Werkstattgespräch Mobilität"}
    assert found("Musterfrau") == {"Werkstattgespräch Mobilität"}
    assert found("Tauschbörse") == set()
    assert found("Mustermann") == set()


def test_results_are_found_only_while_the_documentation_is_published():
    event = EventFactory(title="Bilanz", results="Die Nachbarn gründen eine **Genossenschaft**.")
    assert found("Genossenschaft") == set()
    event_services.documentation_publish(event=event)
    assert found("Genossenschaft") == {"Bilanz"}
    event_services.documentation_unpublish(event=event)
    assert found("Genossenschaft") == set()


def test_a_documents_new_title_is_found():
    event = EventFactory(documentation_published=True)
    document = EventDocumentFactory(event=event, title="Präsentation")
    document.title = "Fotoprotokoll"
    document.save()
    assert found("Fotoprotokoll") == {"Fotoprotokoll"}
    assert found("Präsentation") == set()


def test_publishing_in_bulk_needs_no_new_entry():
    """Publishing is an ``update()`` without signals; the search asks the app at query time."""
    ActorFactory(name="Werkhof Süd", is_published=False)
    EventFactory(title="Erzählcafé", status=Event.Status.DRAFT)
    assert found("Werkhof") == found("Erzählcafé") == set()
    Actor.objects.all().publish()
    Event.objects.filter(title="Erzählcafé").publish()
    assert found("Werkhof") == {"Werkhof Süd"}
    assert found("Erzählcafé") == {"Erzählcafé"}
    Actor.objects.all().unpublish()
    assert found("Werkhof") == set()


def test_a_rolled_back_change_leaves_the_index_as_it_was():
    actor = ActorFactory(name="Kulturbahnhof")
    with pytest.raises(RuntimeError), transaction.atomic():
        actor.name = "Lokschuppen"
        actor.save()
        raise RuntimeError
    assert found("Kulturbahnhof") == {"Kulturbahnhof"}
    assert found("Lokschuppen") == set()


def test_the_index_changes_in_the_transaction_of_the_change():
    actor = ActorFactory(name="Kulturbahnhof")
    with transaction.atomic():
        actor.name = "Lokschuppen"
        actor.save()
        assert found("Lokschuppen") == {"Lokschuppen"}


# --- rebuilt and filled ---------------------------------------------------------------------


def bulk_rows() -> None:
    """Rows as a bulk load makes them: without signals, so without entries."""
    actor = ActorFactory(name="Vorhandener Akteur")
    Actor.objects.bulk_create(
        [Actor(name=f"Stellwerk {number}", slug=f"stellwerk-{number}", sector=actor.sector,
               is_published=True) for number in range(3)]
    )  # fmt: skip
    event = EventFactory(title="Vorhandene Veranstaltung")
    ProgrammeItem.objects.bulk_create([ProgrammeItem(event=event, title="Lichterfest")])
    Project.objects.bulk_create(
        [Project(title="Stellwerk Garten", slug="stellwerk-garten", city="Berlin",
                 summary="Ein Garten.", start=datetime.date(2021, 1, 1), is_published=True)]
    )  # fmt: skip


def test_rebuild_finds_what_was_loaded_in_bulk():
    bulk_rows()
    assert found("Stellwerk") == found("Lichterfest") == set()
    output = io.StringIO()
    call_command("rebuild_search_index", stdout=output)
    assert "Search index rebuilt" in output.getvalue()
    assert "4 actor" in output.getvalue()
    assert found("Stellwerk") == {f"Stellwerk {n}" for n in range(3)} | {"Stellwerk Garten"}
    assert found("Lichterfest") == {"Vorhandene Veranstaltung"}


def test_rebuild_drops_entries_of_rows_deleted_without_signals():
    actor = ActorFactory()
    Actor.objects.filter(pk=actor.pk)._raw_delete(connection.alias)
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert not SearchEntry.objects.filter(kind="actor").exists()


def test_the_migration_fills_the_index_of_an_upgraded_database(event):
    bulk_rows()
    migration = import_module("quartier.migrations.0008_search_index")
    # As migrate calls it; only the editor's connection is used.
    migration.fill_index(apps, SimpleNamespace(connection=connection))
    assert found("Stellwerk") == {f"Stellwerk {n}" for n in range(3)} | {"Stellwerk Garten"}
    assert found("Lastenrad") == {"Werkstattgespräch Mobilität"}


# --- what a search costs --------------------------------------------------------------------


def portal(count: int, start: int) -> None:
    for index in range(start, start + count):
        actor = ActorFactory(name=f"Quartiersbüro {index}", description="Im Quartier zu Hause.")
        OfferOrNeedFactory(actor=actor, title=f"Raum {index} im Quartier")
        event = EventFactory(
            summary="Treffen im Quartier.",
            start=datetime.datetime(2021, 1, 1, 10, tzinfo=BERLIN) + datetime.timedelta(days=index),
        )
        SpeakerFactory(programme_item=ProgrammeItemFactory(event=event))
        EventDocumentFactory(event=event, title=f"Protokoll {index} Quartier")
        ProjectFactory(title=f"Projekt {index}", summary="Quartier.")


def query_count(query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        outcome = site_search(query)
    assert outcome.total > 0
    return len(captured.captured_queries)


def test_a_search_costs_the_same_queries_with_three_and_with_thirty_matches_of_each_kind():
    portal(3, 0)
    Event.objects.update(documentation_published=True)
    few = query_count("Quartier")
    portal(27, 3)
    Event.objects.update(documentation_published=True)
    many = query_count("Quartier")
    assert few == many <= 9
    outcome = site_search("Quartier")
    totals = {group.key: group.total for group in outcome.groups}
    assert totals == {"actors": 30, "offers": 30, "events": 30, "projects": 30, "documents": 30}


def test_among_equal_matches_the_kinds_own_order_decides():
    """Thirty events match alike: the ten shown are the newest, as the event list orders."""
    for day in range(30):
        EventFactory(
            title=f"Sprechstunde {day:02}",
            summary="Sprechstunde.",
            start=datetime.datetime(2021, 1, 1, 10, tzinfo=BERLIN) + datetime.timedelta(days=day),
        )
    (events,) = [group for group in site_search("Sprechstunde").groups if group.key == "events"]
    assert [hit.title for hit in events.hits] == [
        f"Sprechstunde {day:02}" for day in range(29, 19, -1)
    ]
    assert events.total == 30


@pytest.mark.postgres_only
def test_a_search_reads_stored_vectors_under_a_gin_index():
    ActorFactory(name="Quartiersbüro", description="Im Quartier zu Hause.")
    with CaptureQueriesContext(connection) as captured:
        site_search("Quartier")
    assert not [q["sql"] for q in captured.captured_queries if "to_tsvector" in q["sql"]]
    with transaction.atomic(), connection.cursor() as cursor:
        # With a handful of rows a scan of the table is cheaper; the index must be usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT object_id FROM quartier_searchentry"
            " WHERE vector @@ websearch_to_tsquery('german', 'Quartier')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on searchentry_vector_gin" in plan, plan


# --- SQLite: FTS5 ---------------------------------------------------------------------------

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="FTS5 is SQLite's; PostgreSQL has its own tests"
)


@sqlite_only
def test_sqlite_searches_with_fts5():
    assert isinstance(search.backend_for("Quartier"), search.Fts5Backend)


@sqlite_only
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Gärten", {"Gärten für alle", "Garten am Fluss"}),  # umlauts folded, stemmed: gart…
        ("garten", {"Gärten für alle", "Garten am Fluss"}),
        ("Strasse", {"Straßenfest"}),  # ß as ss
        ("STRASSE", {"Straßenfest"}),
        ("Straße", {"Straßenfest"}),
        ("Quartiere", {"Quartier Mitte", "Quartiersrat"}),  # inflected: quartier…
        ("Quartiers", {"Quartier Mitte", "Quartiersrat"}),
        ("café", {"Café Nord"}),
        ("cafe", {"Café Nord"}),
    ],
)
def test_fts5_folds_umlauts_and_finds_words_by_their_beginning(query, expected):
    for title in [
        "Gärten für alle", "Garten am Fluss", "Straßenfest", "Quartier Mitte", "Quartiersrat",
        "Café Nord",
    ]:  # fmt: skip
        ProjectFactory(title=title, summary="Ein Projekt.")
    assert found(query) == expected


@sqlite_only
def test_fts5_marks_the_words_it_matched(client, find):
    ProjectFactory(title="Quartiersrat", summary="Der Rat der Quartiere tagt im Quartier.")
    response = client.get("/suche/", {"q": "Quartiere"})
    assert [node.text for node in find(response, "mark")] == ["Quartiere", "Quartier"]


@sqlite_only
def test_fts5_ranks_a_title_before_a_description():
    ProjectFactory(title="Abendtreff", summary="Treffpunkt.", description="Mit Lastenrad.")
    ProjectFactory(title="Lastenrad für alle", summary="Ausleihen.")
    ProjectFactory(title="Werkstatt", summary="Ein Lastenrad zum Ausleihen.")
    (projects,) = [group for group in site_search("Lastenrad").groups if group.key == "projects"]
    assert [hit.title for hit in projects.hits] == ["Lastenrad für alle", "Werkstatt", "Abendtreff"]


@sqlite_only
def test_fts5_leaves_out_common_words():
    ProjectFactory(title="Garten am Fluss", summary="Ein Garten.")
    assert found("der Garten") == {"Garten am Fluss"}
    assert site_search("der die das").total == 0


@sqlite_only
def test_without_fts5_the_rows_themselves_are_searched(monkeypatch):
    ProjectFactory(title="Garten am Fluss", summary="Ein Garten.")
    monkeypatch.setattr(search_index, "uses_fts5", lambda: False)
    assert isinstance(search.backend_for("Garten"), search.FallbackBackend)
    assert found("Garten") == {"Garten am Fluss"}
    assert found("garten fluss") == {"Garten am Fluss"}


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Quartiere", ["quartier"]),
        ("Häusern", ["haus"]),
        ("Gärten", ["gart"]),
        ("Haus", ["haus"]),
        ("Straße", ["strass"]),
        ('NEAR("a" b) AND -c* OR NOT', ["near", "a", "b", "and", "c", "or", "not"]),
        ("der die das", []),
        ("x_y", ["x", "y"]),
    ],
)
def test_query_words_as_fts5_is_asked_for_them(query, terms):
    assert search.search_terms(query) == terms
