"""The admin's start page: what needs the staff's attention, as each person may see it."""

import datetime

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from actors.models import Application, ProfileProposal
from events.models import Event, Registration
from events.services import documentation_checklist, documentation_incomplete
from tests.actors.factories import ActorFactory, ApplicationFactory, OfferOrNeedFactory
from tests.events.factories import (
    EventDocumentFactory,
    EventFactory,
    EventPhotoFactory,
    RegistrationFactory,
)
from tests.factories import UserFactory
from tests.projects.factories import ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/"
NOW = timezone.now()

CONTENT = [
    "view_actor",
    "change_actor",
    "view_sector",
    "view_event",
    "change_event",
    "view_project",
    "view_publication",
]


def staff(permissions, **kwargs):
    return UserFactory(is_staff=True, permissions=permissions, **kwargs)


def dashboard_of(client, user):
    client.force_login(user)
    response = client.get(INDEX)
    assert response.status_code == 200
    return response, response.context["dashboard"]


def documented(event):
    """Give ``event`` everything the checklist asks for."""
    event.results = "Was herauskam."
    event.save()
    EventDocumentFactory(event=event)
    EventPhotoFactory(event=event, variants=False)
    return event


def log(user, obj, flag=CHANGE, message="Titel geändert."):
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        action_flag=flag,
        change_message=message,
    )


# --- applications awaiting review -------------------------------------------------------------


def test_applications_awaiting_review_oldest_first_with_links(client, admin_user):
    newer = ApplicationFactory(
        organisation_name="Verein Neu", confirmed_at=NOW - datetime.timedelta(days=1)
    )
    older = ApplicationFactory(
        organisation_name="Verein Alt", confirmed_at=NOW - datetime.timedelta(days=9)
    )
    ApplicationFactory(unconfirmed=True, organisation_name="Unbestätigt")
    ApplicationFactory(status=Application.Status.APPROVED, organisation_name="Entschieden")

    response, dashboard = dashboard_of(client, admin_user)

    box = dashboard["applications"]
    assert [row.application for row in box.rows] == [older, newer]
    assert box.count == 2
    assert box.rows[0].url == f"/admin/actors/application/{older.pk}/change/"
    assert f'href="{box.rows[0].url}"' in response.content.decode()
    # The link to all of them leads to the filtered list of the admin, which has them all.
    listed = client.get(box.url)
    assert set(listed.context["cl"].queryset) == {older, newer}


def test_content_editors_see_no_applications(client):
    ApplicationFactory(organisation_name="Nachbarschaftsverein Geheim")
    response, dashboard = dashboard_of(client, staff(CONTENT))
    assert dashboard["applications"] is None
    assert "Nachbarschaftsverein Geheim" not in response.content.decode()


# --- upcoming events ---------------------------------------------------------------------------


def test_upcoming_events_with_registrations_and_free_places(client, admin_user):
    soon = EventFactory(
        title="Bald",
        start=NOW + datetime.timedelta(days=3),
        end=NOW + datetime.timedelta(days=3, hours=3),
        registration_enabled=True,
        capacity=5,
    )
    later = EventFactory(
        title="Später",
        status=Event.Status.DRAFT,
        start=NOW + datetime.timedelta(days=30),
        end=NOW + datetime.timedelta(days=30, hours=3),
        registration_enabled=True,
    )
    EventFactory(title="Vorbei", start=NOW - datetime.timedelta(days=3))
    RegistrationFactory.create_batch(2, event=soon)
    RegistrationFactory(event=soon, status=Registration.Status.WAITING)
    RegistrationFactory(event=soon, status=Registration.Status.CANCELLED)
    RegistrationFactory(event=soon, status=Registration.Status.UNCONFIRMED)
    RegistrationFactory(event=later)

    response, dashboard = dashboard_of(client, admin_user)

    box = dashboard["upcoming_events"]
    assert f"({Event.Status.DRAFT.label})" in response.content.decode()
    assert [(row.event, row.confirmed, row.waiting, row.free_places) for row in box.rows] == [
        (soon, 2, 1, 3),
        (later, 1, 0, None),  # no limit
    ]
    assert box.count == 2
    assert set(client.get(box.url).context["cl"].queryset) == {soon, later}


def test_a_full_event_has_no_free_places_even_when_overbooked(client, admin_user):
    event = EventFactory(
        start=NOW + datetime.timedelta(days=3),
        end=NOW + datetime.timedelta(days=3, hours=3),
        registration_enabled=True,
        capacity=1,
    )
    RegistrationFactory.create_batch(2, event=event)
    _response, dashboard = dashboard_of(client, admin_user)
    [row] = dashboard["upcoming_events"].rows
    assert row.free_places == 0


# --- documentation -----------------------------------------------------------------------------


def test_events_whose_documentation_is_incomplete(client, admin_user):
    complete = documented(EventFactory(title="Vollständig"))
    lacking_photos = EventFactory(title="Ohne Fotos", results="Ergebnisse.")
    EventDocumentFactory(event=lacking_photos)
    uncredited = documented(EventFactory(title="Ohne Nachweis"))
    EventPhotoFactory(event=uncredited, credit="", variants=False)
    EventFactory(title="Entwurf", status=Event.Status.DRAFT)  # not public: not yet due
    EventFactory(
        title="Kommt noch",
        start=NOW + datetime.timedelta(days=3),
        end=NOW + datetime.timedelta(days=3, hours=3),
    )

    response, dashboard = dashboard_of(client, admin_user)

    box = dashboard["documentation"]
    assert {row.event.title: row.missing for row in box.rows} == {
        "Ohne Fotos": ["Fotos"],
        "Ohne Nachweis": ["1 Bildnachweis"],
    }
    assert complete.title not in {row.event.title for row in box.rows}
    assert set(client.get(box.url).context["cl"].queryset) == {lacking_photos, uncredited}


def test_the_query_agrees_with_the_checklist(admin_user):
    """documentation_incomplete() asks the database what documentation_checklist() says."""
    events = [
        documented(EventFactory()),
        EventFactory(results="   "),
        documented(EventFactory(results="Ergebnisse")),
    ]
    EventPhotoFactory(event=events[2], shows_people=True, people_consented=False, variants=False)
    incomplete = set(documentation_incomplete(Event.objects.all()))
    for event in Event.objects.all():
        assert (event in incomplete) == bool(documentation_checklist(event)), event


# --- drafts ------------------------------------------------------------------------------------


def test_drafts_newest_first_with_counts_and_links(client, admin_user):
    first = ActorFactory(name="Entwurf Eins", is_published=False)
    second = ActorFactory(name="Entwurf Zwei", is_published=False)
    ActorFactory(name="Veröffentlicht")
    event = EventFactory(title="Entwurf Veranstaltung", status=Event.Status.DRAFT)
    project = ProjectFactory(title="Entwurf Projekt", is_published=False)
    publication = PublicationFactory(title="Entwurf Bericht", is_published=False)
    offer = OfferOrNeedFactory(actor=first, title="Räume", is_published=False)

    response, dashboard = dashboard_of(client, admin_user)

    drafts = {str(box.label): box.box for box in dashboard["drafts"]}
    assert list(drafts) == [
        "Akteure",
        "Angebote und Gesuche",
        "Veranstaltungen",
        "Projekte",
        "Veröffentlichungen",
    ]
    assert [obj for obj, _url in drafts["Angebote und Gesuche"].rows] == [offer]
    assert [obj for obj, _url in drafts["Akteure"].rows] == [second, first]
    assert drafts["Akteure"].count == 2
    assert [obj for obj, _url in drafts["Veranstaltungen"].rows] == [event]
    assert [obj for obj, _url in drafts["Projekte"].rows] == [project]
    assert [obj for obj, _url in drafts["Veröffentlichungen"].rows] == [publication]
    assert f'href="/admin/actors/actor/{second.pk}/change/"' in response.content.decode()
    assert set(client.get(drafts["Akteure"].url).context["cl"].queryset) == {first, second}
    assert set(client.get(drafts["Veranstaltungen"].url).context["cl"].queryset) == {event}


def test_an_editor_sees_the_drafts_of_what_they_may_see_only(client):
    ActorFactory(name="Entwurf Akteur", is_published=False)
    EventFactory(title="Entwurf Veranstaltung", status=Event.Status.DRAFT)
    response, dashboard = dashboard_of(client, staff(["view_actor"]))
    assert [str(box.label) for box in dashboard["drafts"]] == ["Akteure"]
    assert dashboard["upcoming_events"] is None
    assert dashboard["documentation"] is None
    assert "Entwurf Veranstaltung" not in response.content.decode()


# --- recent changes ----------------------------------------------------------------------------


def test_recent_changes_name_who_and_link_the_object(client, admin_user):
    editor = UserFactory(is_staff=True, first_name="Heike", last_name="Redaktion")
    actor = ActorFactory(name="Verein am Markt")
    log(editor, actor, ADDITION, "")
    log(editor, actor)
    log(admin_user, actor, DELETION, "")

    response, dashboard = dashboard_of(client, admin_user)

    rows = dashboard["recent_changes"]
    assert [(row.who, row.entry.action_flag) for row in rows] == [
        (admin_user.email, DELETION),
        ("Heike Redaktion", CHANGE),
        ("Heike Redaktion", ADDITION),
    ]
    assert rows[0].url is None  # deleted: nothing to open
    assert rows[1].url == f"/admin/actors/actor/{actor.pk}/change/"
    page = response.content.decode()
    assert "Heike Redaktion" in page
    assert f'href="{rows[1].url}"' in page


def test_recent_changes_leave_out_what_the_person_may_not_see(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    application = ApplicationFactory(organisation_name="Bewerbung Vertraulich")
    registration = RegistrationFactory(name="Erika Teilnehmerin")
    actor = ActorFactory(name="Verein Sichtbar")
    for obj in (application, registration, actor):
        log(admin, obj)

    response, dashboard = dashboard_of(client, staff(CONTENT))

    assert [row.entry.object_repr for row in dashboard["recent_changes"]] == ["Verein Sichtbar"]
    page = response.content.decode()
    assert "Bewerbung Vertraulich" not in page
    assert "Erika Teilnehmerin" not in page


def test_staff_without_any_permission_get_an_empty_start_page(client):
    ActorFactory(name="Entwurf", is_published=False)
    _response, dashboard = dashboard_of(client, staff([]))
    assert dashboard == {
        "applications": None,
        "proposals": None,
        "upcoming_events": None,
        "documentation": None,
        "drafts": [],
        "recent_changes": None,
    }


def test_the_app_list_stays_below_the_dashboard(client, admin_user, find):
    response, _dashboard = dashboard_of(client, admin_user)
    headings = [node.text for node in find(response, "h2")]
    assert headings == [
        gettext("Applications awaiting review"),
        gettext("Proposed changes awaiting review"),
        gettext("Upcoming events"),
        gettext("Documentation incomplete"),
        gettext("Drafts waiting to be published"),
        gettext("Recent changes"),
        gettext("All areas of the portal"),
    ]
    assert find(response, "a", href="/admin/actors/actor/")


# --- bounded queries ---------------------------------------------------------------------------


def populate(count: int, editor) -> None:
    """``count`` of everything the start page lists, each with what its rows show."""
    for n in range(count):
        ApplicationFactory(confirmed_at=NOW - datetime.timedelta(days=n))
        upcoming = EventFactory(
            start=NOW + datetime.timedelta(days=n + 1),
            end=NOW + datetime.timedelta(days=n + 1, hours=2),
            registration_enabled=True,
            capacity=10,
        )
        RegistrationFactory(event=upcoming)
        RegistrationFactory(event=upcoming, status=Registration.Status.WAITING)
        past = EventFactory(results="")
        EventPhotoFactory(event=past, credit="", variants=False)
        actor = ActorFactory(is_published=False)
        ProfileProposal.objects.create(
            actor=actor, values={"city": "Neu"}, based_on=NOW, proposed_by=UserFactory()
        )
        EventFactory(status=Event.Status.DRAFT)
        ProjectFactory(is_published=False, lead_actor=actor)
        PublicationFactory(is_published=False)
        log(editor, actor)


@pytest.mark.parametrize(
    "who", ["superuser", "editor"], ids=["superuser", "editor with permissions"]
)
def test_the_start_page_costs_as_many_queries_for_many_rows_as_for_few(client, who):
    user = (
        UserFactory(is_staff=True, is_superuser=True)
        if who == "superuser"
        else staff([*CONTENT, "view_application", "view_registration", "view_profileproposal"])
    )
    client.force_login(user)
    counts, made = [], 0
    for size in (2, 25):
        populate(size - made, user)
        made = size
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INDEX)
        assert response.status_code == 200
        assert len(response.context["dashboard"]["recent_changes"]) == min(
            LogEntry.objects.count(), 10
        )
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 30


def test_the_demo_gives_every_box_something_to_show(client, demo_db):
    """`make run`'s demo: an application, an event with registrations, incomplete
    documentation and a draft are waiting for the staff."""
    _response, dashboard = dashboard_of(client, UserFactory(is_staff=True, is_superuser=True))
    assert dashboard["applications"].count == 1
    assert any(row.confirmed for row in dashboard["upcoming_events"].rows)
    assert dashboard["documentation"].count >= 1
    assert sum(drafts.box.count for drafts in dashboard["drafts"]) >= 1
