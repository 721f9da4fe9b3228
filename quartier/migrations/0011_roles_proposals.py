"""The staff's groups brought up to date after the proposed changes of profiles: "Redaktion"
(and with it "Verwaltung") reads them and accepts or returns them (quartier/roles.py)."""

from django.db import migrations

from quartier.roles import roles_update


class Migration(migrations.Migration):
    dependencies = [
        ("quartier", "0010_roles_contacts"),
        ("actors", "0013_profile_proposals"),
    ]

    operations = [migrations.RunPython(roles_update, migrations.RunPython.noop)]
