"""Event kinds become data staff can extend: the initiative's own formats.

The formats are created here (a copy of the list as it stood; the demo keeps its own), and each
event's former kind is mapped to one. "Online" was a kind and is none: such events become
"Fachveranstaltung" (the general format) and are marked online, which is where being online is kept.
Two fields for what the public record leaves open: the time and the place.
"""

import django.db.models.deletion
from django.db import migrations, models

from quartier.roles import roles_update

# slug, German name, English name, position
FORMATS = [
    ("auftaktveranstaltung", "Auftaktveranstaltung", "Kick-off event", 10),
    ("arbeitskonferenz", "Arbeitskonferenz / Netzwerkkonferenz", "Working conference", 20),
    ("werkstattgespraech", "Werkstattgespräch", "Workshop talk", 30),
    ("perspektivenwerkstatt", "Perspektivenwerkstatt", "Perspectives workshop", 40),
    ("praxiswerkstatt", "Praxiswerkstatt", "Practice workshop", 50),
    ("netzwerktreffen", "Netzwerktreffen", "Network meeting", 60),
    ("bilanzveranstaltung", "Bilanz- und Abschlussveranstaltung", "Review and closing event", 70),
    ("kongress-session", "Kongress-Session", "Congress session", 80),
    ("fachveranstaltung", "Fachveranstaltung", "Conference", 90),
]

# The former kinds and the formats they become.
OLD_KINDS = {
    "werkstattgespraech": "werkstattgespraech",
    "fachveranstaltung": "fachveranstaltung",
    "bilanzveranstaltung": "bilanzveranstaltung",
    "netzwerktreffen": "netzwerktreffen",
    "online": "fachveranstaltung",
}


def create_formats(apps, schema_editor=None) -> dict:
    """The initiative's formats, by slug; those that exist are left as staff keep them."""
    EventFormat = apps.get_model("events", "EventFormat")
    formats = {}
    for slug, name, name_en, position in FORMATS:
        formats[slug], _created = EventFormat.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )
    return formats


def create_formats_and_map_kinds(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    formats = create_formats(apps)
    for old, new in OLD_KINDS.items():
        Event.objects.filter(old_kind=old).update(format=formats[new])
    Event.objects.filter(old_kind="online").update(is_online=True)
    # Anything else (a value no code wrote) becomes the general format rather than be lost.
    Event.objects.filter(format__isnull=True).update(format=formats["fachveranstaltung"])
    if schema_editor.connection.vendor == "postgresql":
        # The column is altered next in this transaction: no deferred check may be pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def map_formats_back(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    known = set(OLD_KINDS)
    for event in Event.objects.select_related("format"):
        event.old_kind = event.format.slug if event.format.slug in known else "fachveranstaltung"
        event.save(update_fields=["old_kind"])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_document_accessibility"),
        # The groups get the new model's permissions (quartier/roles.py) after their creation.
        ("quartier", "0006_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventFormat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="As shown on event pages and in the list's filter, e.g. “Praxiswerkstatt”.",
                        max_length=120,
                        unique=True,
                        verbose_name="name",
                    ),
                ),
                (
                    "name_en",
                    models.CharField(
                        blank=True,
                        help_text="Shown on the English pages; the German name is shown while this is empty.",
                        max_length=120,
                        verbose_name="name (English)",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="Used in filter addresses, e.g. praxiswerkstatt. Lower case, no spaces.",
                        max_length=80,
                        unique=True,
                        verbose_name="short name in the address",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Formats are listed by this number, then by name.",
                        verbose_name="position",
                    ),
                ),
            ],
            options={
                "verbose_name": "event format",
                "verbose_name_plural": "event formats",
                "ordering": ["position", "name"],
            },
        ),
        migrations.RenameField(model_name="event", old_name="kind", new_name="old_kind"),
        # A default, so that migrating back can add the column again to rows that exist.
        migrations.AlterField(
            model_name="event",
            name="old_kind",
            field=models.CharField(default="fachveranstaltung", max_length=30),
        ),
        migrations.AddField(
            model_name="event",
            name="format",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="events.eventformat",
            ),
        ),
        migrations.RunPython(create_formats_and_map_kinds, map_formats_back),
        migrations.RemoveField(model_name="event", name="old_kind"),
        migrations.RenameField(model_name="event", old_name="format", new_name="kind"),
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.ForeignKey(
                help_text="Visitors can filter the event list by it. Staff can add formats.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="events.eventformat",
                verbose_name="format",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="time_unknown",
            field=models.BooleanField(
                default=False,
                help_text="Only the day is known: pages show no time, calendars an all-day entry. The times above then only keep the order.",
                verbose_name="time not known",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="place_unknown",
            field=models.BooleanField(
                default=False,
                help_text="For past events whose place the sources do not name: the page says so, and the event can be published without a city.",
                verbose_name="place not known",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="city",
            field=models.CharField(
                blank=True,
                help_text="Required for publishing, unless the event is online or its place is not known.",
                max_length=100,
                verbose_name="city",
            ),
        ),
        # The editors' group may keep the formats (quartier/roles.py); reversed, the groups stay.
        migrations.RunPython(roles_update, migrations.RunPython.noop),
    ]
