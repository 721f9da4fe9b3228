"""The staff's groups "Redaktion" and "Verwaltung" with their permissions (quartier/roles.py)."""

from django.db import migrations

from quartier.roles import roles_update


class Migration(migrations.Migration):
    dependencies = [
        ("quartier", "0005_help_texts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("actors", "0007_application_decide_permission"),
        ("events", "0005_registration_health_export_permissions"),
        ("projects", "0004_help_texts"),
    ]

    # Reversed, the groups stay: people may have been given them since.
    operations = [migrations.RunPython(roles_update, migrations.RunPython.noop)]
