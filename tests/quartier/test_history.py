"""Every model with a history in the admin: a save through its form is a version with the
editor; the history, its page of changes and the list of deleted objects answer; a deleted
object can be recovered."""

import pytest
from django.contrib import admin
from reversion.models import Version

from actors.models import Actor
from quartier.admin_history import ChangeMessageMixin
from quartier.models import Page
from tests.actors.factories import ActorFactory, SectorFactory
from tests.events.factories import EventFactory, EventFormatFactory, ProgrammeItemFactory
from tests.events.test_admin import form_data
from tests.factories import UserFactory
from tests.projects.factories import ProjectFactory, ProjectPartnerFactory, PublicationFactory

pytestmark = pytest.mark.django_db

VERSIONED = {
    "actors/sector": lambda: SectorFactory(),
    "actors/actor": lambda: ActorFactory(),
    "events/eventformat": lambda: EventFormatFactory(),
    "events/event": lambda: EventFactory(),
    "events/programmeitem": lambda: ProgrammeItemFactory(),
    "projects/project": lambda: ProjectFactory(),
    "projects/publication": lambda: PublicationFactory(),
    "quartier/page": lambda: Page.objects.get(slug="kontakt"),
}


def save_unchanged(client, admin_path: str, obj) -> None:
    url = f"/admin/{admin_path}/{obj.pk}/change/"
    form_id = f"{admin_path.split('/')[1]}_form"
    response = client.post(url, form_data(client.get(url), form_id))
    assert response.status_code == 302, response.context and response.context["errors"]


@pytest.mark.parametrize("admin_path", VERSIONED)
def test_a_save_in_the_admin_is_a_version_with_its_history_and_changes(admin_client, admin_path):
    obj = VERSIONED[admin_path]()
    save_unchanged(admin_client, admin_path, obj)
    version = Version.objects.get_for_object(obj).get()
    assert version.revision.user.username == "admin"

    history = admin_client.get(f"/admin/{admin_path}/{obj.pk}/history/")
    assert history.status_code == 200
    assert f"/admin/{admin_path}/{obj.pk}/history/{version.pk}/changes/" in history.content.decode()
    changes = admin_client.get(f"/admin/{admin_path}/{obj.pk}/history/{version.pk}/changes/")
    assert changes.status_code == 200
    assert admin_client.get(f"/admin/{admin_path}/recover/").status_code == 200
    changelist = admin_client.get(f"/admin/{admin_path}/").content.decode()
    assert f'href="/admin/{admin_path}/recover/" class="recoverlink"' in changelist


def test_a_project_reverts_with_its_partners(admin_client):
    project = ProjectFactory(title="Quartiersgarten")
    partner = ProjectPartnerFactory(project=project, role="Träger")
    save_unchanged(admin_client, "projects/project", project)
    first = Version.objects.get_for_object(project).get()
    partner_pk = partner.pk
    partner.delete()
    project.title = "Gemeinschaftsgarten"
    project.save()

    url = f"/admin/projects/project/{project.pk}/history/{first.pk}/"
    response = admin_client.post(url, form_data(admin_client.get(url), "project_form"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Quartiersgarten"
    assert list(project.partnerships.values_list("pk", "role")) == [(partner_pk, "Träger")]


def test_a_deleted_actor_can_be_recovered(admin_client):
    actor = ActorFactory(name="Verschwundener Verein")
    save_unchanged(admin_client, "actors/actor", actor)
    response = admin_client.post(f"/admin/actors/actor/{actor.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Actor.objects.filter(pk=actor.pk).exists()

    deleted = admin_client.get("/admin/actors/actor/recover/")
    assert "Verschwundener Verein" in deleted.content.decode()
    version = Version.objects.get_deleted(Actor).get()
    url = f"/admin/actors/actor/recover/{version.pk}/"
    response = admin_client.post(url, form_data(admin_client.get(url), "actor_form"))
    assert response.status_code == 302
    assert Actor.objects.get(pk=actor.pk).name == "Verschwundener Verein"


def test_every_admin_of_the_portal_names_changed_fields_as_its_form_does():
    apps = {"actors", "events", "projects", "quartier"}
    ours = {
        type(model_admin).__name__: model_admin
        for model_admin in admin.site._registry.values()
        if type(model_admin).__module__.split(".")[0] in apps
    }
    assert {"AccountAdmin", "ActorAdmin", "RegistrationAdmin", "TopicAdmin"} <= set(ours)
    english = [name for name, each in ours.items() if not isinstance(each, ChangeMessageMixin)]
    assert english == []


def test_the_history_of_an_account_names_djangos_own_fields_in_german(admin_client):
    person = UserFactory(username="erika")
    url = f"/admin/auth/user/{person.pk}/change/"
    data = form_data(admin_client.get(url), "user_form")
    del data["is_active"]  # the box unticked
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    history = admin_client.get(f"/admin/auth/user/{person.pk}/history/").content.decode()
    assert "Aktiv geändert." in history
