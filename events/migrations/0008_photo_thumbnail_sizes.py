"""Photos made before their gallery variant's size was stored get it now (a row without it
opens its image file each time it is loaded)."""

from django.db import migrations

from quartier.media import photo_thumbnail_sizes_fill


def fill(apps, schema_editor):
    photo_thumbnail_sizes_fill(apps.get_model("events", "EventPhoto"))


class Migration(migrations.Migration):
    dependencies = [("events", "0007_list_order_indexes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
