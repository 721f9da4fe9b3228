"""Who may open which admin page and do which staff action, walked for every role.

Anonymous visitors, a logged-in actor (an account without staff status), the roles "Redaktion"
and "Verwaltung" (quartier/roles.py) and a superuser, each against every address of the portal
(taken from the URL resolver, the admin's pages of every registered model included, so a new
model must be placed in ``PAGES`` and a new page in ``URLS`` before the suite passes) and
against every staff action in ``ACTIONS``; no GET of any of them writes to the database. With the
demo data of `make run` loaded, so that this is also the test that every admin page answers for
"Verwaltung" on real content.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

import pytest
import reversion
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from actors.models import Actor, Application, ContactInvitation, OfferOrNeed, ProfileProposal
from events.models import Event, Registration
from quartier.models import PortalSettings
from tests.actors.factories import ApplicationFactory
from tests.events.factories import RegistrationFactory
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
    "actors.offerorneed": (Role.REDAKTION, Role.REDAKTION),
    "actors.application": (Role.VERWALTUNG, None),  # sent through the public form
    "actors.profileproposal": (Role.REDAKTION, None),  # made by contacts on their own pages
    "events.eventformat": (Role.REDAKTION, Role.REDAKTION),
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
    # A proposed change to review (the demo's contact is made only while developing).
    if not ProfileProposal.objects.exists():
        some_actor = Actor.objects.order_by("pk").first()
        ProfileProposal.objects.create(
            actor=some_actor, values={"city": "Anderswo"}, based_on=some_actor.updated_at
        )
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
        "offer": OfferOrNeed.objects.order_by("pk").first(),
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


# What each role gets on these pages (and on every other of the admin) is asserted by the walk
# over every URL at the end of this module (``model_pages``).


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


def publish_offer(client, world):
    OfferOrNeed.objects.filter(pk=world["offer"].pk).update(is_published=False)
    return changelist_action(OfferOrNeed, "publish", "offer")(client, world)


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


INVITED = "eingeladen@example.org"


def invite_contact(client, world):
    ContactInvitation.objects.filter(email=INVITED).delete()
    return client.post(
        reverse("admin:actors_actor_invite", args=[world["actor"].pk]), {"email": INVITED}
    )


ACTIONS = [
    Action(
        "invite a contact person",
        Role.REDAKTION,
        invite_contact,
        lambda world: ContactInvitation.objects.filter(email=INVITED).exists(),
    ),
    Action(
        "publish an actor",
        Role.REDAKTION,
        publish_actor,
        lambda world: Actor.objects.get(pk=world["actor"].pk).is_published,
    ),
    Action(
        "publish an offer or need",
        Role.REDAKTION,
        publish_offer,
        lambda world: OfferOrNeed.objects.get(pk=world["offer"].pk).is_published,
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


# --- Every URL of the portal ------------------------------------------------------------------
#
# The URL resolver is walked (the admin's URLs for every registered model included) and every
# address is asked for by every role with GET. ``URLS`` says what each role gets; an address
# that is not in it fails ``test_every_url_has_its_place_in_the_table``, so a new page cannot
# be added without saying who may open it. Alongside: no GET writes to the database.


class Outcome(StrEnum):
    OK = "200"
    LOGIN = "login"  # redirected to the login
    DENIED = "403"
    MISSING = "404"
    GONE = "410"
    METHOD = "405"  # the address takes POST only
    REDIRECT = "redirect"  # elsewhere than the login (301 or 302)
    UNAVAILABLE = "503"


def public(outcome: Outcome = Outcome.OK) -> dict:
    return dict.fromkeys(Role, outcome)


def signed_in(outcome: Outcome = Outcome.OK) -> dict:
    return {Role.ANONYMOUS: Outcome.LOGIN} | {role: outcome for role in Role if role}


def staff(level: Role | None, *, below: Outcome = Outcome.DENIED, at: Outcome = Outcome.OK):
    """An admin page: the login for visitors and actors, ``below`` for staff under ``level``."""
    table = {Role.ANONYMOUS: Outcome.LOGIN, Role.ACTOR: Outcome.LOGIN}
    for role in (Role.REDAKTION, Role.VERWALTUNG, Role.SUPERUSER):
        table[role] = at if level is not None and role >= level else below
    return table


def walk_urls(patterns=None, prefix: str = "", namespace: str = ""):
    """``(route, name)`` of every address the resolver knows; ``name`` is namespaced, or the
    route where the pattern has no name."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk_urls(pattern.url_patterns, route, inner)
        elif pattern.name:
            yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            yield route, route


def _admin_route(route: str) -> str:
    """The route with the admin's own prefix (settings.ADMIN_URL may move it) as "admin/"."""
    admin_prefix = reverse("admin:index").lstrip("/")
    return "admin/" + route[len(admin_prefix) :] if route.startswith(admin_prefix) else route


def portal_urls() -> dict[str, str]:
    """Table key -> route for every address (unnamed admin routes keyed as under "admin/")."""
    return {(_admin_route(name) if name == route else name): route for route, name in walk_urls()}


def _admin_models() -> dict[str, type]:
    """``"app_model"`` -> model, for every model in the admin."""
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


@pytest.fixture(scope="module")
def addresses(world):
    """The path of every address, its parameters taken from real objects of the demo data."""
    from allauth.account.models import EmailAddress
    from django.contrib.contenttypes.models import ContentType
    from reversion.models import Version

    from actors.contacts import invitation_token
    from actors.services import application_confirm_token
    from events.models import EventDocument, EventPhoto
    from events.services import CANCEL_PURPOSE, CONFIRM_PURPOSE
    from projects.models import Project, ProjectDocument, Publication
    from quartier.tokens import token_for
    from quartier.urls import sitemaps

    actor = Actor.objects.published().order_by("pk").first()
    photo = EventPhoto.objects.showable().order_by("pk").first()
    event = Event.objects.published().upcoming().order_by("start", "pk").first()
    event_document = EventDocument.objects.public().select_related("event").first()
    project = Project.objects.published().order_by("pk").first()
    project_document = ProjectDocument.objects.public().select_related("project").first()
    publication = Publication.objects.published().order_by("pk").first()
    unconfirmed = (
        Registration.objects.filter(status=Registration.Status.UNCONFIRMED).order_by("pk").first()
    ) or RegistrationFactory(event=event, status=Registration.Status.UNCONFIRMED)
    confirmed = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED, event__start__gt=timezone.now()
        )
        .order_by("pk")
        .first()
    )
    application = ApplicationFactory(
        organisation_name="Noch nicht bestätigt", status=Application.Status.UNCONFIRMED
    )
    # An invitation to an address none of the roles has: each sees the page, none may accept.
    invitation = ContactInvitation.objects.create(actor=actor, email="jemand@example.org")
    named = {
        "organisation:invitation": {"token": invitation_token(invitation=invitation)},
        "sitemap_section": {"section": next(iter(sitemaps))},
        "actors:detail": {"slug": actor.slug},
        "events:detail": {"slug": event.slug},
        "events:register": {"slug": event.slug},
        "events:register_account": {"slug": event.slug},
        "events:registration_sent": {"slug": event.slug},
        "events:event_calendar": {"slug": event.slug},
        "events:document": {
            "slug": event_document.event.slug,
            "pk": event_document.pk,
            "filename": event_document.download_name,
        },
        "events:registration_confirm": {"token": token_for(CONFIRM_PURPOSE, unconfirmed.pk)},
        "events:registration_cancel": {"token": token_for(CANCEL_PURPOSE, confirmed.pk)},
        "projects:detail": {"slug": project.slug},
        "projects:document": {
            "slug": project_document.project.slug,
            "pk": project_document.pk,
            "filename": project_document.download_name,
        },
        "results:publication": {"slug": publication.slug},
        "results:publication_file": {
            "slug": publication.slug,
            "filename": publication.download_name,
        },
        "applications:confirm": {"token": application_confirm_token(application=application)},
        "organisation:edit": {"slug": actor.slug},
        "organisation:leave": {"slug": actor.slug},
        "organisation:withdraw": {"slug": actor.slug},
        "account_confirm_email": {"key": "kein-gueltiger-schluessel"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "kein-gueltiger-schluessel"},
        "mfa_remove_webauthn": {"pk": 999999},
        "mfa_edit_webauthn": {"pk": 999999},
        "admin:app_list": {"app_label": "events"},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(Actor).pk,
            "object_id": actor.pk,
        },
        "admin:events_event_attendance_csv": {"object_id": world["event"].pk},
        "admin:events_event_attendance_xlsx": {"object_id": world["event"].pk},
    }
    # As every account made by signing up has (allauth's e-mail page would record it on GET).
    EmailAddress.objects.get_or_create(
        user=world["users"][Role.ACTOR],
        email=world["users"][Role.ACTOR].email,
        defaults={"verified": True, "primary": True},
    )
    paths = {}
    models = _admin_models()
    for key, route in portal_urls().items():
        if key in named:
            paths[key] = reverse(key, kwargs=named[key])
            continue
        if key.startswith("admin:") and key.count("_") >= 2:
            label = _admin_label(key, models)
            if label is not None:
                paths[key] = _admin_model_path(key, route, models[label], Version)
                continue
        if key == "admin/(?P<url>.*)$":
            paths[key] = reverse("admin:index") + "gibt-es-nicht/"
        elif key.startswith("admin/") and key.endswith("/<path:object_id>/"):
            model = models["_".join(key.split("/")[1:3])]
            paths[key] = (
                reverse("admin:index")
                + "/".join(key.split("/")[1:3])
                + (f"/{one_object(model).pk}/")
            )
        elif key == "^media/(?P<path>.*)$":
            paths[key] = photo.thumbnail.url
        elif key == route and not any(mark in route for mark in "<(^"):
            paths[key] = "/" + route  # an unnamed address without parameters
        else:
            paths[key] = reverse(key)
    return paths


def _admin_label(key: str, models: dict) -> str | None:
    """``"events_event"`` for ``"admin:events_event_change"``; None for the admin's own pages."""
    name = key.removeprefix("admin:")
    for label in sorted(models, key=len, reverse=True):
        if name.startswith(label + "_"):
            return label
    return None


def _admin_model_path(key: str, route: str, model, version_model) -> str:
    """The path of one of a model's admin addresses: its object, or the object and one of its
    versions (reversion's pages), by the number of parameters of the route."""
    parameters = route.count("<") + route.count("(")
    if parameters == 0:
        return reverse(key)
    obj = one_object(model)
    assert obj is not None, f"the demo data has no {model_label(model)}"
    if parameters == 1 and not key.endswith("_recover"):
        return reverse(key, args=[obj.pk])
    version = version_model.objects.get_for_object(obj).first()
    if version is None:
        import reversion

        with reversion.create_revision():
            obj.save()
        version = version_model.objects.get_for_object(obj).first()
    if parameters == 1:
        return reverse(key, args=[version.pk])
    return reverse(key, args=[obj.pk, version.pk])


def answer(response) -> Outcome:
    if response.status_code in (301, 302):
        location = response["Location"]
        return Outcome.LOGIN if "login" in location.split("?")[0] else Outcome.REDIRECT
    return Outcome(str(response.status_code))


# Who may delete, per model in the admin (None: nobody, not even a superuser).
DELETE_LEVELS = {
    "auth.group": Role.SUPERUSER,
    "auth.user": Role.SUPERUSER,
    "account.emailaddress": Role.SUPERUSER,
    "mfa.authenticator": Role.SUPERUSER,  # a lost one is removed
    "taggit.tag": Role.REDAKTION,
    "quartier.page": Role.SUPERUSER,
    "quartier.portalsettings": None,
    "actors.sector": Role.REDAKTION,
    "actors.actor": Role.REDAKTION,
    "actors.offerorneed": Role.REDAKTION,
    "actors.application": Role.SUPERUSER,
    "actors.profileproposal": Role.SUPERUSER,
    "events.eventformat": Role.REDAKTION,
    "events.event": Role.REDAKTION,
    "events.programmeitem": Role.REDAKTION,
    "events.registration": Role.SUPERUSER,
    "projects.project": Role.REDAKTION,
    "projects.publication": Role.REDAKTION,
    "projects.approach": Role.REDAKTION,
    "django_tasks_database.dbtaskresult": None,
}


def model_pages(model) -> dict[str, dict]:
    """The admin's standard addresses of a model (Django's and reversion's) and who opens
    them: from ``PAGES`` and ``DELETE_LEVELS``, so that the levels are written once."""
    label = model_label(model)
    view, add = PAGES[label]
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    pages = {
        f"{info}_changelist": staff(view),
        f"{info}_add": staff(add),
        f"{info}_change": staff(view),
        f"{info}_history": staff(view),
        f"{info}_delete": staff(DELETE_LEVELS[label]),
        # Django's old address of the change page sends every member of staff on to it.
        f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/": staff(
            Role.REDAKTION, at=Outcome.REDIRECT
        ),
    }
    if reversion.is_registered(model):
        # Earlier versions are the change page's; restoring a deleted object is adding one.
        pages |= {
            f"{info}_revision": staff(view),
            f"{info}_version_changes": staff(view),
            f"{info}_recoverlist": staff(add),
            f"{info}_recover": staff(add),
        }
    return pages


# Every other address, and what each role gets when it asks for it with GET.
URLS = {
    # The public site.
    "favicon.ico": public(Outcome.REDIRECT),  # to the static file
    "robots": public(),
    "sitemap": public(),
    "sitemap_section": public(),
    "healthz": public(),  # 503 while a check fails (tests/quartier/test_health.py)
    "home": public(),
    "initiative": public(),
    "search": public(),
    "image_credits": public(),
    "pages:kontakt": public(),
    "pages:impressum": public(),
    "pages:datenschutz": public(),
    "actors:list": public(),
    "actors:places": public(),
    "actors:places_json": public(),
    "actors:network": public(),
    "actors:detail": public(),
    "offers:list": public(),
    "offers:feed": public(),
    "events:list": public(),
    "events:calendar": public(),
    "events:feed": public(),
    "events:documentation_feed": public(),
    "events:detail": public(),
    "events:event_calendar": public(),
    "events:document": public(),
    "events:register": public(),  # the form; sending it is a POST
    "events:register_account": public(Outcome.METHOD),  # POST only: the signed-in shortcut
    "events:registration_sent": public(),
    # The links of the e-mails ask before they act: the page has the button, POST acts.
    "events:registration_confirm": public(),
    "events:registration_cancel": public(),
    "projects:list": public(),
    "projects:places": public(),
    "projects:places_json": public(),
    "projects:detail": public(),
    "projects:document": public(),
    "results:overview": public(),
    "results:publication": public(),
    "results:publication_file": public(),
    "applications:apply": public(),
    "applications:sent": public(),
    "applications:confirm": public(),
    # The link of an invitation to become an actor's contact person: the page asks, POST
    # accepts, with the invited address verified (forged, used or expired links: 404).
    "organisation:invitation": signed_in(),
    # Served only while developing (DEBUG): in production the web server serves MEDIA_ROOT.
    "^media/(?P<path>.*)$": public(),
    # The account (allauth, under /konto/) and its second factors.
    "account_login": signed_in(Outcome.REDIRECT) | {Role.ANONYMOUS: Outcome.OK},
    "account_signup": signed_in(Outcome.REDIRECT) | {Role.ANONYMOUS: Outcome.OK},
    "account_logout": signed_in() | {Role.ANONYMOUS: Outcome.REDIRECT},  # asks; POST logs out
    "account_inactive": public(),
    "account_email_verification_sent": public(),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key": public(),  # the page says the link is not valid
    "account_reset_password_from_key_done": public(),
    "account_confirm_email": public(),  # likewise
    "account_overview": signed_in(),
    # A contact's own pages: the list for every account; the pages of one organisation only
    # for its contacts (none of these roles is one: tests/actors/test_proposal_permissions.py).
    "organisation:list": signed_in(),
    "organisation:edit": public(Outcome.MISSING),
    "organisation:leave": public(Outcome.MISSING),
    "organisation:withdraw": public(Outcome.MISSING),
    "account_data_export": signed_in(),
    "account_delete": signed_in(),  # asks; POST deletes
    "account_reauthenticate": signed_in(),
    "account_email": signed_in(),
    "account_change_password": signed_in(),
    "account_set_password": signed_in(Outcome.REDIRECT),  # they have one: to "change"
    # Steps that only exist in the middle of a flow send whoever comes without one on.
    "account_request_reauthentication_code": signed_in(),  # a code to the verified address
    "account_confirm_reauthentication_code": signed_in(Outcome.REDIRECT),
    "account_confirm_login_code": signed_in(Outcome.REDIRECT),
    "mfa_index": signed_in(),
    "mfa_list_webauthn": signed_in(),
    "mfa_authenticate": signed_in(Outcome.REDIRECT),
    # Staff have a second factor to confirm themselves with; the actor has none.
    "mfa_reauthenticate": signed_in() | {Role.ACTOR: Outcome.REDIRECT},
    "mfa_activate_totp": signed_in(Outcome.REDIRECT),
    "mfa_deactivate_totp": signed_in(Outcome.REDIRECT) | {Role.ACTOR: Outcome.MISSING},
    "mfa_view_recovery_codes": signed_in(Outcome.MISSING),
    "mfa_download_recovery_codes": signed_in(Outcome.MISSING),
    "mfa_generate_recovery_codes": signed_in(Outcome.REDIRECT),
    "mfa_add_webauthn": signed_in(Outcome.REDIRECT),
    "mfa_reauthenticate_webauthn": signed_in(Outcome.REDIRECT),
    "mfa_remove_webauthn": signed_in(Outcome.REDIRECT),
    "mfa_edit_webauthn": signed_in(Outcome.REDIRECT),
    "mfa_login_webauthn": signed_in(Outcome.REDIRECT),
    # The admin's own pages.
    "admin:index": staff(Role.REDAKTION),
    "admin:app_list": staff(Role.REDAKTION),
    "admin:jsi18n": staff(Role.REDAKTION),
    "admin:password_change": staff(Role.REDAKTION),
    "admin:password_change_done": staff(Role.REDAKTION),
    "admin:autocomplete": staff(None),  # without its parameters nobody gets an answer
    "admin:view_on_site": staff(Role.REDAKTION, at=Outcome.REDIRECT),
    "admin:login": {Role.ANONYMOUS: Outcome.LOGIN, Role.ACTOR: Outcome.DENIED}
    | {role: Outcome.REDIRECT for role in Role if role >= Role.REDAKTION},
    "admin:logout": {Role.ANONYMOUS: Outcome.REDIRECT, Role.ACTOR: Outcome.REDIRECT}
    | {role: Outcome.METHOD for role in Role if role >= Role.REDAKTION},
    "admin/(?P<url>.*)$": staff(Role.REDAKTION, at=Outcome.MISSING),
    # The admin's pages beyond the standard ones.
    "admin:auth_user_password_change": staff(Role.VERWALTUNG),
    "admin:actors_actor_import": staff(Role.REDAKTION),
    "admin:actors_actor_process_import": staff(Role.REDAKTION, at=Outcome.METHOD),
    "admin:actors_actor_export": staff(Role.REDAKTION),
    "admin:actors_actor_invite": staff(Role.REDAKTION),
    "admin:events_event_export": staff(Role.REDAKTION),
    "admin:events_event_attendance_csv": staff(Role.VERWALTUNG),
    # Accepting or returning a proposed change: POST only (tests/actors/test_proposals.py).
    "admin:actors_profileproposal_decide": staff(Role.REDAKTION, at=Outcome.METHOD),
    "admin:events_event_attendance_xlsx": staff(Role.VERWALTUNG),
    "admin:events_registration_export": staff(Role.VERWALTUNG),
}

# Addresses that exist only in some configurations (DEBUG, optional apps).
OPTIONAL_URLS = {"^media/(?P<path>.*)$"}


def expected_table() -> dict[str, dict]:
    table = dict(URLS)
    for model in admin.site._registry:
        table |= model_pages(model)
    return table


def test_every_url_has_its_place_in_the_table():
    urls, table = set(portal_urls()), set(expected_table())
    assert urls - table == set(), "addresses nobody has said who may open"
    assert table - urls <= OPTIONAL_URLS, "addresses in the table that no longer exist"


# Writes that a GET may make, with the reason; any other fails the test below.
ALLOWED_GET_WRITES = {
    # The staff session's expiry, refreshed on every request (quartier.staff_access).
    "django_session": "every address",
}
# reversion shows an earlier version by reverting to it in a transaction it rolls back.
REVERTS_AND_ROLLS_BACK = ("_revision", "_recover")


def unexpected_writes(key: str, queries) -> list[str]:
    found = []
    for query in queries:
        sql = query["sql"].lstrip()
        if not sql.upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
            continue
        if key.endswith(REVERTS_AND_ROLLS_BACK):
            continue
        allowed = [
            table
            for table, where in ALLOWED_GET_WRITES.items()
            if f'"{table}"' in sql and (where == "every address" or key in where)
        ]
        if not allowed:
            found.append(sql[:160])
    return found


def row_counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
def test_every_url_answers_each_role_as_the_table_says_and_get_changes_nothing(
    world, addresses, client_as, role, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quartier.content_version import content_version

    table = expected_table()
    client = client_as(role)
    wrong, writes, after_commit = [], {}, {}
    counts, version = row_counts(), content_version()
    for key, path in addresses.items():
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as callbacks,
        ):
            response = client.get(path)
        if response.streaming:
            # Read to the end: the test client closes the file then (a close() of ours would
            # also close the test's database connection).
            b"".join(response.streaming_content)
        expected, got = table[key][role], answer(response)
        if got != expected:
            wrong.append(f"{key} ({path}): {got}, expected {expected}")
        if found := unexpected_writes(key, queries.captured_queries):
            writes[key] = found
        if callbacks and not key.endswith(REVERTS_AND_ROLLS_BACK):
            after_commit[key] = callbacks
    assert wrong == []
    assert writes == {}, "a GET wrote to the database"
    assert after_commit == {}, "a GET left work for after the commit (e-mail, new version)"
    assert row_counts() == counts
    assert content_version() == version
