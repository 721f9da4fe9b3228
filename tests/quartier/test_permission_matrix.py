"""Who may open which admin page and do which staff action, walked for every role.

Anonymous visitors, a logged-in actor (an account without staff status), the roles "Redaktion"
and "Verwaltung" (quartier/roles.py) and a superuser, each against the changelist, add and change
page of every model in the admin (taken from the admin's registry, so a new model must be placed
in ``PAGES`` before the suite passes) and against every staff action in ``ACTIONS``. With the
demo data of `make run` loaded, so that this is also the test that every admin page answers for
"Verwaltung" on real content.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from actors.models import Actor, Application
from events.models import Event, Registration
from quartier.models import PortalSettings
from tests.actors.factories import ApplicationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Role(IntEnum):
    """In the order of what they may do: each may do what the one before may."""

    ANONYMOUS = 0
    ACTOR = 1
    REDAKTION = 2
    VERWALTUNG = 3
    SUPERUSER = 4


# Per model in the admin: the least role that opens its list and change pages, and the least
# role that opens its add page (None: nobody adds them in the admin).
PAGES = {
    "auth.group": (Role.SUPERUSER, Role.SUPERUSER),
    "auth.user": (Role.VERWALTUNG, Role.VERWALTUNG),
    "account.emailaddress": (Role.VERWALTUNG, Role.SUPERUSER),
    "mfa.authenticator": (Role.SUPERUSER, None),  # removed when lost, never made here
    "taggit.tag": (Role.REDAKTION, Role.REDAKTION),
    "quartier.page": (Role.REDAKTION, Role.SUPERUSER),
    "quartier.portalsettings": (Role.VERWALTUNG, None),  # one row, already there
    "actors.sector": (Role.REDAKTION, Role.REDAKTION),
    "actors.actor": (Role.REDAKTION, Role.REDAKTION),
    "actors.application": (Role.VERWALTUNG, None),  # sent through the public form
    "events.event": (Role.REDAKTION, Role.REDAKTION),
    "events.programmeitem": (Role.REDAKTION, Role.REDAKTION),
    "events.registration": (Role.VERWALTUNG, None),  # sent through the public form
    "projects.project": (Role.REDAKTION, Role.REDAKTION),
    "projects.publication": (Role.REDAKTION, Role.REDAKTION),
    "projects.approach": (Role.REDAKTION, Role.REDAKTION),
    # The task queue (django-tasks-db): its rows hold the e-mails; read-only, queued by the code.
    "django_tasks_database.dbtaskresult": (Role.SUPERUSER, None),
}

GROUPS = {Role.REDAKTION: "Redaktion", Role.VERWALTUNG: "Verwaltung"}


@pytest.fixture(scope="module")
def world(demo_db):
    """The demo data with one of everything a staff action needs, and a user per role (in
    the demo data's transaction, rolled back after the module's last test)."""
    # Deciding needs an application awaiting review; the demo may have none.
    application = ApplicationFactory(organisation_name="Wartet auf Prüfung")
    # An e-mail in the task queue, as the form of an application leaves one.
    DBTaskResult.objects.create(
        task_path="quartier.tasks.send_email",
        args_kwargs={"args": [], "kwargs": {"name": "application_confirm", "to": ["a@b.example"]}},
        backend_name="default",
    )
    PortalSettings.current()
    event = Event.objects.filter(registrations__status=Registration.Status.CONFIRMED).first()
    users = {
        Role.ACTOR: UserFactory(username="akteurin"),
        Role.REDAKTION: UserFactory(username="redaktion", is_staff=True),
        Role.VERWALTUNG: UserFactory(username="verwaltung", is_staff=True),
        Role.SUPERUSER: UserFactory(username="admin-matrix", is_staff=True, is_superuser=True),
    }
    for role, name in GROUPS.items():
        users[role].groups.add(Group.objects.get(name=name))
    return {
        "users": users,
        "application": application,
        "event": event,
        "actor": Actor.objects.order_by("pk").first(),
    }


@pytest.fixture
def client_as(world):
    def login(role: Role) -> Client:
        client = Client()
        if role is not Role.ANONYMOUS:
            client.force_login(world["users"][role])
        return client

    return login


def assert_kept_out(response, role: Role) -> None:
    """Anonymous visitors and actors are sent to the login; staff without the right get 403."""
    if role is Role.ANONYMOUS:
        assert response.status_code == 302
        assert "login" in response["Location"]
    elif role is Role.ACTOR:
        # The admin sends them to its login, which does not let an account without staff in.
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "login" in response["Location"]
    else:
        assert response.status_code == 403


# --- Every admin page -------------------------------------------------------------------------


def model_label(model) -> str:
    return model._meta.label_lower


def test_every_model_in_the_admin_has_its_place_in_the_matrix():
    assert {model_label(model) for model in admin.site._registry} == set(PAGES)


def one_object(model):
    """An object the admin lists (for applications and registrations: confirmed ones)."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = UserFactory.build(is_staff=True, is_superuser=True)
    return model_admin.get_queryset(request).order_by("pk").first()


PAGE_CASES = [
    pytest.param(model, page, role, id=f"{model_label(model)}-{page}-{role.name.lower()}")
    for model in admin.site._registry
    for page in ("changelist", "add", "change")
    for role in Role
]


@pytest.mark.parametrize(("model", "page", "role"), PAGE_CASES)
def test_admin_page(world, client_as, model, page, role):
    view_level, add_level = PAGES[model_label(model)]
    info = (model._meta.app_label, model._meta.model_name)
    if page == "change":
        obj = one_object(model)
        assert obj is not None, f"the demo data has no {model_label(model)}"
        url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
    else:
        url = reverse("admin:{}_{}_{}".format(*info, page))
    level = add_level if page == "add" else view_level
    response = client_as(role).get(url)
    if level is not None and role >= level:
        assert response.status_code == 200
    elif role <= Role.ACTOR:
        assert_kept_out(response, role)
    else:
        assert response.status_code == 403


# --- Every staff action -----------------------------------------------------------------------


@dataclass
class Action:
    """A staff action: ``perform`` does it with a client and returns the response; ``done``
    says whether it took effect (None: an action that changes nothing, such as a download).
    The least role that may do it is ``level``."""

    name: str
    level: Role
    perform: Callable
    done: Callable | None


def changelist_action(model, action: str, obj_key: str):
    def perform(client, world):
        info = (model._meta.app_label, model._meta.model_name)
        return client.post(
            reverse("admin:{}_{}_changelist".format(*info)),
            {"action": action, "_selected_action": [world[obj_key].pk]},
        )

    return perform


def publish_actor(client, world):
    Actor.objects.filter(pk=world["actor"].pk).update(is_published=False)
    return changelist_action(Actor, "publish", "actor")(client, world)


def unpublish_event(client, world):
    Event.objects.filter(pk=world["event"].pk).update(status=Event.Status.PUBLISHED)
    return changelist_action(Event, "unpublish", "event")(client, world)


def export_attendance(client, world):
    return client.get(reverse("admin:events_event_attendance_csv", args=[world["event"].pk]))


def export_page(model):
    """The first step of an export: the page where the format is chosen."""

    def perform(client, world):
        return client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export"))

    return perform


def import_actors(client, world):
    """The first step of the import: the page with the upload form."""
    return client.get(reverse("admin:actors_actor_import"))


def revert_event(client, world):
    """The page of an earlier version of an event, from which it is restored."""
    import reversion
    from reversion.models import Version

    event = world["event"]
    with reversion.create_revision():
        event.save()
    version = Version.objects.get_for_object(event).first()
    return client.get(
        reverse("admin:events_event_revision", args=[event.pk, version.pk]),
    )


ACTIONS = [
    Action(
        "publish an actor",
        Role.REDAKTION,
        publish_actor,
        lambda world: Actor.objects.get(pk=world["actor"].pk).is_published,
    ),
    Action(
        "unpublish an event",
        Role.REDAKTION,
        unpublish_event,
        lambda world: Event.objects.get(pk=world["event"].pk).status == Event.Status.DRAFT,
    ),
    Action(
        "approve an application",
        Role.VERWALTUNG,
        changelist_action(Application, "approve", "application"),
        lambda world: (
            Application.objects.get(pk=world["application"].pk).status
            == Application.Status.APPROVED
        ),
    ),
    Action(
        "export the attendance list",
        Role.VERWALTUNG,
        export_attendance,
        None,
    ),
    Action(
        "export registrations",
        Role.VERWALTUNG,
        export_page(Registration),
        None,
    ),
    Action(
        "export actors",
        Role.REDAKTION,
        export_page(Actor),
        None,
    ),
    Action(
        "export events",
        Role.REDAKTION,
        export_page(Event),
        None,
    ),
    Action(
        "import actors",
        Role.REDAKTION,
        import_actors,
        None,
    ),
    Action(
        "revert an event",
        Role.REDAKTION,
        revert_event,
        None,
    ),
]


@pytest.mark.parametrize(
    "action", [pytest.param(action, id=action.name.replace(" ", "-")) for action in ACTIONS]
)
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
def test_staff_action(world, client_as, action, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = action.perform(client_as(role), world)
    if role >= action.level:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "login" not in response["Location"]
        assert action.done is None or action.done(world)
    else:
        assert_kept_out(response, role)
        assert action.done is None or not action.done(world)


def test_verwaltung_sees_the_health_related_answers_and_redaktion_does_not(world, client_as):
    registration = (
        Registration.objects.address_confirmed().filter(event=world["event"]).order_by("pk").first()
    )
    Registration.objects.filter(pk=registration.pk).update(accessibility_needs="Rollstuhlplatz")
    Event.objects.filter(pk=world["event"].pk).update(
        asks_accessibility_needs=True, start=timezone.now() + datetime.timedelta(days=3)
    )
    change = reverse("admin:events_registration_change", args=[registration.pk])
    event_page = reverse("admin:events_event_change", args=[world["event"].pk])
    verwaltung = client_as(Role.VERWALTUNG)
    assert "Rollstuhlplatz" in verwaltung.get(change).content.decode()
    assert "Rollstuhlplatz" in verwaltung.get(event_page).content.decode()
    assert "Rollstuhlplatz" in export_attendance(verwaltung, world).content.decode("utf-8-sig")
    redaktion = client_as(Role.REDAKTION)
    assert "Rollstuhlplatz" not in redaktion.get(event_page).content.decode()


def test_verwaltung_looks_after_accounts_but_makes_nobody_an_administrator(world, client_as):
    users = world["users"]
    verwaltung = client_as(Role.VERWALTUNG)
    page = verwaltung.get(reverse("admin:auth_user_change", args=[users[Role.REDAKTION].pk]))
    assert 'name="groups"' in page.content.decode()
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="user_permissions"' not in page.content.decode()
    url = reverse("admin:auth_user_change", args=[users[Role.SUPERUSER].pk])
    assert 'name="_save"' not in verwaltung.get(url).content.decode()  # view only
    response = verwaltung.post(url, {"username": "uebernommen", "email": "x@example.org"})
    assert response.status_code == 403
    users[Role.SUPERUSER].refresh_from_db()
    assert users[Role.SUPERUSER].username == "admin-matrix"
    superuser = client_as(Role.SUPERUSER)
    page = superuser.get(reverse("admin:auth_user_change", args=[users[Role.REDAKTION].pk]))
    assert 'name="is_superuser"' in page.content.decode()
