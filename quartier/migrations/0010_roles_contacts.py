"""The staff's groups brought up to date after the invitations of contact persons: Redaktion
sees and removes an actor's contacts and invites, or revokes an invitation (quartier/roles.py)."""

from django.db import migrations

from quartier.roles import roles_update


class Migration(migrations.Migration):
    dependencies = [
        ("quartier", "0009_roles_after_formats_and_offers"),
        ("actors", "0012_contact_invitations"),
    ]

    operations = [migrations.RunPython(roles_update, migrations.RunPython.noop)]
