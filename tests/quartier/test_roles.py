"""The staff's roles "Redaktion" and "Verwaltung": their groups hold exactly what quartier/roles.py
names, and the data migrations keep it so on a fresh database too."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from quartier.roles import EDIT, REDAKTION, ROLES, VERWALTUNG, role_permissions, roles_update


def group_permissions(name: str) -> set[tuple[str, str]]:
    return set(
        Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROLES)
def test_the_groups_hold_exactly_their_permissions(name):
    assert group_permissions(name) == role_permissions(ROLES[name])


@pytest.mark.django_db
def test_an_update_takes_away_what_a_role_no_longer_has():
    redaktion = Group.objects.get(name="Redaktion")
    redaktion.permissions.add(Permission.objects.get(codename="view_registration"))
    roles_update(apps)
    assert group_permissions("Redaktion") == role_permissions(REDAKTION)


def test_verwaltung_may_do_everything_redaktion_may():
    assert role_permissions(REDAKTION) < role_permissions(VERWALTUNG)


def test_personal_data_is_for_verwaltung_only():
    for codename in (
        "view_application",
        "decide_application",
        "view_registration",
        "view_registration_health",
        "export_registration",
        "view_user",
    ):
        assert codename in {codename for _app, codename in role_permissions(VERWALTUNG)}
        assert codename not in {codename for _app, codename in role_permissions(REDAKTION)}


def test_nobody_but_an_administrator_hands_out_permissions():
    for models in ROLES.values():
        assert "auth.group" not in models
        assert "auth.permission" not in models


def test_the_last_roles_migration_knows_every_permission_it_grants():
    """A permission added to ROLES needs a data migration after the one that creates it.

    Otherwise a fresh database (a new installation, CI) would lack it in the group: the
    migration that set the groups ran before the permission existed.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    roles_migrations = [
        key
        for key, migration in loader.disk_migrations.items()
        if any(
            isinstance(operation, RunPython) and operation.code is roles_update
            for operation in migration.operations
        )
    ]
    assert roles_migrations
    last = next(
        key
        for key in roles_migrations
        if all(other in loader.graph.forwards_plan(key) for other in roles_migrations)
    )
    state = loader.project_state(last, at_end=True)
    known = set()
    for (app_label, model_name), model in state.models.items():
        known |= {
            (app_label, f"{action}_{model_name}")
            for action in model.options.get("default_permissions", EDIT)
        }
        known |= {(app_label, codename) for codename, _name in model.options.get("permissions", [])}
    for name, models in ROLES.items():
        missing = role_permissions(models) - known
        assert not missing, f"{name}: {sorted(missing)} exist only after {last}"
