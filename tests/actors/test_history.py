"""The history of actors and applications in the admin: German field names, and list actions
that leave an entry as a save does."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from reversion.models import Version
from taggit.models import Tag

from actors.admin import ACTOR_DRAFT_MESSAGE
from actors.models import Actor, Application
from quartier.admin_history import NOT_RESTORABLE_MESSAGE
from tests.events.test_admin import form_data

from .factories import ActorFactory, ApplicationFactory

pytestmark = pytest.mark.django_db


def test_the_history_of_an_actor_names_changed_fields_in_german(admin_client):
    actor = ActorFactory(name="Nachbarschaftshaus", city="Halle")
    url = f"/admin/actors/actor/{actor.pk}/change/"
    data = form_data(admin_client.get(url), "actor_form")
    data["short_name"] = "NBH"
    data["description"] = "Ein Haus für alle im Quartier."
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    history = admin_client.get(f"/admin/actors/actor/{actor.pk}/history/")
    content = history.content.decode()
    assert "Kurzname oder Abkürzung und Beschreibung geändert." in content
    assert "Short name" not in content


def test_publishing_actors_from_the_list_leaves_an_entry_in_their_history(admin_client):
    draft = ActorFactory(name="Stadtteilverein", is_published=False)
    already = ActorFactory(name="Schon veröffentlicht", is_published=True)
    response = admin_client.post(
        "/admin/actors/actor/", {"action": "publish", "_selected_action": [draft.pk, already.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published

    history = admin_client.get(f"/admin/actors/actor/{draft.pk}/history/").content.decode()
    assert gettext("Published through the list action.") in history
    assert "<td>admin</td>" in history
    assert Version.objects.get_for_object(draft).get().field_dict["is_published"] is True
    # What was published already did not change, and has no entry.
    assert not Version.objects.get_for_object(already).exists()
    assert not LogEntry.objects.filter(object_id=str(already.pk)).exists()

    admin_client.post(
        "/admin/actors/actor/", {"action": "unpublish", "_selected_action": [draft.pk]}
    )
    history = admin_client.get(f"/admin/actors/actor/{draft.pk}/history/").content.decode()
    assert gettext("Unpublished through the list action.") in history


def test_deciding_applications_from_the_list_leaves_an_entry_in_their_history(admin_client):
    application = ApplicationFactory(
        organisation_name="Quartiersinitiative",
        contact_name="Erika Beispiel",
        email="erika@example.org",
    )
    response = admin_client.post(
        "/admin/actors/application/", {"action": "reject", "_selected_action": [application.pk]}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED

    history = admin_client.get(f"/admin/actors/application/{application.pk}/history/")
    content = history.content.decode()
    assert gettext("Rejected through the list action.") in content
    assert "<td>admin</td>" in content
    # The change log names no person: retention has only the object's name to clear.
    entry = LogEntry.objects.get(object_id=str(application.pk))
    assert "Erika" not in entry.change_message
    assert "erika@example.org" not in entry.change_message
    # Applications hold personal data and stay out of the versioned history.
    applications = ContentType.objects.get_for_model(Application)
    assert not Version.objects.filter(content_type=applications).exists()


def test_approving_from_the_list_is_in_the_history_too(admin_client):
    application = ApplicationFactory(organisation_name="Genossenschaft am Markt")
    admin_client.post(
        "/admin/actors/application/", {"action": "approve", "_selected_action": [application.pk]}
    )
    content = admin_client.get(
        f"/admin/actors/application/{application.pk}/history/"
    ).content.decode()
    assert gettext("Approved through the list action.") in content
    # The draft's history begins with the approval, by the editor.
    assert_created_from_the_application(
        admin_client, Actor.objects.get(name="Genossenschaft am Markt")
    )


def assert_created_from_the_application(client, actor):
    version = Version.objects.get_for_object(actor).get()
    assert version.revision.user.username == "admin"
    history = client.get(f"/admin/actors/actor/{actor.pk}/history/").content.decode()
    assert str(ACTOR_DRAFT_MESSAGE) in history
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Actor), object_id=str(actor.pk)
    )
    assert entry.is_addition() and entry.user.username == "admin"


def test_approving_in_the_form_begins_the_drafts_history(admin_client):
    application = ApplicationFactory(organisation_name="Bürgerverein Mitte")
    url = f"/admin/actors/application/{application.pk}/change/"
    data = form_data(admin_client.get(url), "application_form")
    data["decision"] = "approve"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert_created_from_the_application(admin_client, Actor.objects.get(name="Bürgerverein Mitte"))


def test_the_history_of_an_application_names_changed_fields_in_german(admin_client):
    application = ApplicationFactory()
    url = f"/admin/actors/application/{application.pk}/change/"
    data = form_data(admin_client.get(url), "application_form")
    data["review_note"] = "Rückfrage per Telefon."
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    content = admin_client.get(
        f"/admin/actors/application/{application.pk}/history/"
    ).content.decode()
    assert "Notiz zur Entscheidung geändert." in content


def test_an_actor_reverts_with_its_topics(admin_client):
    actor = ActorFactory(name="Nachbarschaftshaus", topics=["Kultur", "Wohnen"])
    url = f"/admin/actors/actor/{actor.pk}/change/"
    response = admin_client.post(url, form_data(admin_client.get(url), "actor_form"))
    assert response.status_code == 302, response.context and response.context["errors"]
    data = form_data(admin_client.get(url), "actor_form")
    data["topics"] = "Kultur, Nachbarschaft"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    first, second = Version.objects.get_for_object(actor).order_by("pk")

    changes = admin_client.get(f"/admin/actors/actor/{actor.pk}/history/{second.pk}/changes/")
    rows = re.findall(
        r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>', changes.content.decode()
    )
    assert rows == [("Themen", "Kultur, Wohnen", "Kultur, Nachbarschaft")]

    revert_url = f"/admin/actors/actor/{actor.pk}/history/{first.pk}/"
    response = admin_client.post(revert_url, form_data(admin_client.get(revert_url), "actor_form"))
    assert response.status_code == 302
    assert sorted(actor.topics.names()) == ["Kultur", "Wohnen"]


@pytest.mark.django_db(transaction=True)
def test_a_version_with_a_topic_deleted_since_is_not_restored(admin_client):
    actor = ActorFactory(name="Nachbarschaftshaus", topics=["Kultur"])
    url = f"/admin/actors/actor/{actor.pk}/change/"
    response = admin_client.post(url, form_data(admin_client.get(url), "actor_form"))
    assert response.status_code == 302
    first = Version.objects.get_for_object(actor).get()
    Tag.objects.filter(name="Kultur").delete()
    actor.name = "Haus der Nachbarschaft"
    actor.save()

    revert_url = f"/admin/actors/actor/{actor.pk}/history/{first.pk}/"
    response = admin_client.post(
        revert_url, form_data(admin_client.get(revert_url), "actor_form"), follow=True
    )
    assert response.redirect_chain[-1][0] == f"/admin/actors/actor/{actor.pk}/history/"
    assert str(NOT_RESTORABLE_MESSAGE) in response.content.decode()
    actor.refresh_from_db()
    assert actor.name == "Haus der Nachbarschaft"
