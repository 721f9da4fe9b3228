"""The staff's groups brought up to date once more, after both migrations that added models to
the roles (the event formats, the offers and needs) and updated the groups each on its own: on a
fresh database either may run first, so only a migration after both is sure to see every
permission (tests/quartier/test_roles.py)."""

from django.db import migrations

from quartier.roles import roles_update


class Migration(migrations.Migration):
    dependencies = [
        ("quartier", "0008_search_index"),
        ("actors", "0010_offers_and_needs"),
        ("events", "0011_event_formats"),
    ]

    operations = [migrations.RunPython(roles_update, migrations.RunPython.noop)]
