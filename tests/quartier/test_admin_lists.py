"""The admin's lists: the columns, filters, search and date hierarchies each one offers, and
as many queries for many rows as for few."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from taggit.models import Tag

from actors.models import Application
from events.models import Event
from tests.actors.factories import ActorFactory, ApplicationFactory
from tests.events.factories import (
    EventDocumentFactory,
    EventFactory,
    EventPhotoFactory,
    RegistrationFactory,
)
from tests.factories import UserFactory
from tests.projects.factories import ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()

CHANGELISTS = [
    "/admin/actors/actor/",
    "/admin/actors/sector/",
    "/admin/actors/application/",
    "/admin/events/event/",
    "/admin/events/registration/",
    "/admin/projects/project/",
    "/admin/projects/publication/",
    "/admin/projects/approach/",
    "/admin/quartier/page/",
    "/admin/auth/user/",
    "/admin/taggit/tag/",
]


def populate(count: int) -> None:
    for n in range(count):
        actor = ActorFactory(city=f"Stadt {n}", topics=[f"Thema {n}"])
        ApplicationFactory(confirmed_at=NOW - datetime.timedelta(days=n))
        event = EventFactory(city=f"Stadt {n}", topics=[f"Thema {n}"])
        event.organisers.add(actor)
        RegistrationFactory(event=event)
        project = ProjectFactory(lead_actor=actor, approaches=[f"Ansatz {n}"])
        project.partners.add(actor)
        PublicationFactory()
        UserFactory()


@pytest.mark.parametrize("path", CHANGELISTS)
def test_a_list_costs_as_many_queries_for_many_rows_as_for_few(admin_client, path):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(path)
        assert response.status_code == 200
        return len(captured)

    populate(3)
    few = queries()
    populate(20)
    assert queries() == few


@pytest.mark.parametrize(
    ("path", "filters", "search", "hierarchy"),
    [
        ("/admin/actors/actor/", {"is_published", "role", "sector", "city"}, True, None),
        (
            "/admin/actors/application/",
            {"status", "sector", "confirmed_at"},
            True,
            None,
        ),
        (
            "/admin/events/event/",
            {"when", "status", "kind", "year", "documentation_published", "checklist"},
            True,
            "start",
        ),
        ("/admin/events/registration/", {"event", "status"}, True, "created_at"),
        ("/admin/projects/project/", {"status", "city", "is_published"}, True, "start"),
        ("/admin/projects/publication/", {"is_published", "language"}, True, "published_on"),
        ("/admin/auth/user/", {"is_staff", "is_active", "groups"}, True, "date_joined"),
    ],
)
def test_each_list_offers_the_filters_search_and_dates_that_fit(
    admin_client, path, filters, search, hierarchy
):
    populate(2)
    changelist = admin_client.get(path).context["cl"]
    offered = {
        getattr(spec, "parameter_name", None) or getattr(spec, "field_path", None)
        for spec in changelist.filter_specs
    }
    assert filters <= offered
    assert bool(changelist.search_fields) == search
    assert changelist.date_hierarchy == hierarchy


def titles(response) -> set[str]:
    return {str(obj) for obj in response.context["cl"].result_list}


def test_events_by_time_and_year(admin_client):
    EventFactory(title="Vorbei 2020", start=datetime.datetime(2020, 5, 1, 10, tzinfo=datetime.UTC))
    EventFactory(title="Vorbei 2021", start=datetime.datetime(2021, 5, 1, 10, tzinfo=datetime.UTC))
    EventFactory(
        title="Kommt noch",
        start=NOW + datetime.timedelta(days=3),
        end=NOW + datetime.timedelta(days=3, hours=2),
    )
    changelist = "/admin/events/event/"
    assert titles(admin_client.get(changelist, {"when": "upcoming"})) == {"Kommt noch"}
    assert titles(admin_client.get(changelist, {"when": "past"})) == {"Vorbei 2020", "Vorbei 2021"}
    assert titles(admin_client.get(changelist, {"year": "2021"})) == {"Vorbei 2021"}


def test_events_by_their_documentation_checklist(admin_client):
    complete = EventFactory(title="Vollständig", results="Ergebnisse.")
    EventDocumentFactory(event=complete)
    EventPhotoFactory(event=complete, variants=False)
    EventFactory(title="Unvollständig", results="")
    EventFactory(title="Entwurf", status=Event.Status.DRAFT)
    changelist = "/admin/events/event/"
    assert titles(admin_client.get(changelist, {"checklist": "incomplete"})) == {"Unvollständig"}
    assert titles(admin_client.get(changelist, {"checklist": "complete"})) == {"Vollständig"}


def test_actors_by_city(admin_client):
    ActorFactory(name="In Leipzig", city="Leipzig")
    ActorFactory(name="In Halle", city="Halle")
    response = admin_client.get("/admin/actors/actor/", {"city": "Leipzig"})
    assert titles(response) == {"In Leipzig"}


def test_topics_are_listed_with_how_often_they_are_used(admin_client):
    ActorFactory(topics=["Wohnen", "Kultur"])
    ActorFactory(topics=["Wohnen"])
    response = admin_client.get("/admin/taggit/tag/")
    assert {tag.name: tag.use_count for tag in response.context["cl"].result_list} == {
        "Wohnen": 2,
        "Kultur": 1,
    }


def test_the_topics_section_is_not_named_after_the_library(admin_client):
    response = admin_client.get("/admin/")
    [topics] = [app for app in response.context["app_list"] if app["app_label"] == "taggit"]
    assert topics["name"] != "Taggit"
    assert str(topics["name"]) == str(Tag._meta.app_config.verbose_name)
    assert "Taggit" not in response.content.decode()


def test_the_application_queue_lists_the_longest_waiting_first(admin_client):
    recent = ApplicationFactory(organisation_name="Neu", confirmed_at=NOW)
    waiting = ApplicationFactory(
        organisation_name="Lange wartend", confirmed_at=NOW - datetime.timedelta(days=20)
    )
    decided = ApplicationFactory(
        organisation_name="Entschieden", status=Application.Status.APPROVED
    )
    response = admin_client.get("/admin/actors/application/")
    assert list(response.context["cl"].result_list) == [waiting, recent, decided]


def test_topics_are_not_merged_by_taggits_action_that_loses_them(admin_client):
    """taggit's merge deletes the chosen topic from those that had it: it is not offered."""
    response = admin_client.get("/admin/taggit/tag/")
    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert "render_tag_form" not in actions
    with pytest.raises(NoReverseMatch):
        reverse("admin:taggit_tag_merge_tags")
