"""The stored search index (quartier/search_index.py), filled for the rows there are.

On PostgreSQL a GIN index on the vector: one index scan finds the matching entries of every
kind. On SQLite an FTS5 table where the library has FTS5; without it the search falls back to
the rows themselves. Neither can be declared on the model, which both databases share (SQLite
has no GIN).
"""

import django.contrib.postgres.search
from django.db import migrations, models

GIN_INDEX = "searchentry_vector_gin"


def create_vendor_parts(apps, schema_editor):
    from quartier import search_index

    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {GIN_INDEX} ON quartier_searchentry USING gin (vector)"
        )
    elif vendor == "sqlite" and search_index.sqlite_has_fts5():
        search_index.create_fts_table(schema_editor)


def drop_vendor_parts(apps, schema_editor):
    from quartier import search_index

    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    elif vendor == "sqlite":
        search_index.drop_fts_table(schema_editor)


def fill_index(apps, schema_editor):
    """Entries for the rows an upgraded database holds, so that it searches at once.

    With the kinds the apps declare in this release (registered when the apps are ready); the
    tables they read are migrated before this migration. A new database has no rows to index.
    """
    from quartier import search_index

    # A kind added in a later release reads a table that a later migration creates: its rows
    # are indexed as they are written.
    tables = set(schema_editor.connection.introspection.table_names())
    kinds = [
        kind
        for kind in search_index.registered_kinds()
        if kind.model._meta.db_table in tables
        and kind.model._base_manager.using(schema_editor.connection.alias).exists()
    ]
    if kinds:
        search_index.rebuild(kinds)


class Migration(migrations.Migration):
    dependencies = [
        ("quartier", "0007_content_version"),
        ("actors", "0007_application_decide_permission"),
        ("events", "0006_help_texts_of_the_address"),
        ("projects", "0004_help_texts"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40, verbose_name="kind of content")),
                ("object_id", models.PositiveBigIntegerField(verbose_name="object ID")),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(
                        null=True, verbose_name="search vector"
                    ),
                ),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="searchentry_one_per_row"
                    )
                ],
            },
        ),
        migrations.RunPython(create_vendor_parts, drop_vendor_parts),
        migrations.RunPython(fill_index, migrations.RunPython.noop),
    ]
