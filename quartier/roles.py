"""The staff's roles: which groups exist and exactly which permissions each one holds.

"Redaktion" keeps the content of the portal up to date; "Verwaltung" does all of that and also
handles what people send in (applications to join, event registrations and their attendance
lists, with the health-related answers) and the accounts. Everything else (groups and their
permissions, a person's single permissions, superuser status) stays with the administrators
(superusers). The README's "Roles" section says the same for people.

Data migrations create and update the groups from ``ROLES`` with ``roles_update``: a change
here needs a new data migration in quartier/migrations/ that calls it again, after the
migrations of the models concerned (tests/quartier/test_roles.py fails until the groups in the
database are exactly these).
"""

# The admin's four permissions of every model: see its list and pages, add, change, delete.
EDIT = ("view", "add", "change", "delete")

REDAKTION = {
    # The directory of actors, its sectors, and the topics of actors and events ("Themen").
    "actors.sector": EDIT,
    "actors.actor": EDIT,
    # What actors offer and seek: staff read, correct and publish them.
    "actors.offerorneed": EDIT,
    # The actors' contact persons: staff see and remove them (people become contacts by an
    # approved application or an invitation), and invite, or revoke an invitation (delete).
    "actors.actorcontact": ("view", "delete"),
    "actors.contactinvitation": ("view", "add", "delete"),
    # What contacts propose for their organisations' profiles: read it, accept or return it.
    "actors.profileproposal": ("view", "decide_profileproposal"),
    "taggit.tag": EDIT,
    # Events with their formats, programme, speakers, documentation documents and photos.
    "events.eventformat": EDIT,
    "events.event": EDIT,
    "events.programmeitem": EDIT,
    "events.speaker": EDIT,
    "events.eventdocument": EDIT,
    "events.eventphoto": EDIT,
    # Projects with partners, documents and photos; publications; the approaches of projects.
    "projects.project": EDIT,
    "projects.projectpartner": EDIT,
    "projects.projectdocument": EDIT,
    "projects.projectphoto": EDIT,
    "projects.publication": EDIT,
    "projects.approach": EDIT,
    # The contact, legal and privacy pages: the site's URLs fix which exist.
    "quartier.page": ("view", "change"),
}

VERWALTUNG = {
    **REDAKTION,
    # Applications to join: read, note, approve or reject (never added or deleted by hand).
    "actors.application": ("view", "change", "decide_application"),
    # Registrations: read, correct and cancel; the health-related answers; attendance lists.
    "events.registration": (
        "view",
        "change",
        "view_registration_health",
        "export_registration",
    ),
    # Accounts: open one for a new colleague, correct or deactivate one, assign a role. Not the
    # second factors (their page shows the secret) and not the addresses on their own (a
    # changed address would let someone else reset the password).
    "auth.user": ("view", "add", "change"),
    "account.emailaddress": ("view",),
    # The operational settings of the portal (the largest upload).
    "quartier.portalsettings": ("view", "change"),
}

ROLES = {"Redaktion": REDAKTION, "Verwaltung": VERWALTUNG}


def role_permissions(models: dict[str, tuple[str, ...]]) -> set[tuple[str, str]]:
    """The role's permissions as (app label, codename) pairs.

    An action of the admin's own four ("change") stands for "change_<model>"; any other name is
    the codename of a permission of the model's ``Meta.permissions`` itself.
    """
    pairs = set()
    for label, actions in models.items():
        app_label, model = label.split(".")
        for action in actions:
            codename = f"{action}_{model}" if action in EDIT else action
            pairs.add((app_label, codename))
    return pairs


def roles_update(apps, schema_editor=None) -> None:
    """Create the groups of ``ROLES`` and give each exactly its permissions (for RunPython).

    The permissions are created first: Django makes them only after all migrations have run,
    and a fresh database has none yet. A permission whose model a later migration adds is left
    for the data migration that follows that one.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # A migration's app configs lack the models module create_permissions asks for.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, models in ROLES.items():
        wanted = role_permissions(models)
        permissions = [
            permission
            for permission in Permission.objects.select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
