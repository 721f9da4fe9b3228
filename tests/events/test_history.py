"""The history of events in the admin: who changed what, the changes, and a revert that brings
the programme back with the event. Everything is done as an editor does it, through the forms."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from reversion.models import Version

from events.models import Event, ProgrammeItem, Registration
from tests.factories import UserFactory

from .factories import EventFactory, ProgrammeItemFactory, RegistrationFactory
from .test_admin import add_inline_row, form_data

pytestmark = pytest.mark.django_db

PROGRAMME = "programme_items"


def change_url(event: Event) -> str:
    return f"/admin/events/event/{event.pk}/change/"


def history_url(event: Event) -> str:
    return f"/admin/events/event/{event.pk}/history/"


@pytest.fixture
def editor():
    return UserFactory(
        username="redakteurin",
        is_staff=True,
        permissions=Permission.objects.filter(content_type__app_label="events"),
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def save_unchanged(client, event: Event) -> None:
    response = client.post(change_url(event), form_data(client.get(change_url(event))))
    assert response.status_code == 302, response.context and response.context["errors"]


def programme_row(data: dict, title: str) -> int:
    """The index of the programme row with ``title`` in a form's data."""
    for name, value in data.items():
        if match := re.fullmatch(rf"{PROGRAMME}-(\d+)-title", name):
            if value == title:
                return int(match.group(1))
    raise AssertionError(f"no programme row {title!r}")


@pytest.fixture
def edited_event(editor_client):
    """An event saved with two programme items, then changed: a new title, the opening item
    removed, the panel renamed and a new item added, all in one save of its form."""
    event = EventFactory(title="Quartierskonferenz")
    opening = ProgrammeItemFactory(event=event, title="Begrüßung", position=1)
    panel = ProgrammeItemFactory(event=event, title="Podium", position=2)
    save_unchanged(editor_client, event)

    data = form_data(editor_client.get(change_url(event)))
    data["title"] = "Quartierskonferenz 2026"
    data[f"{PROGRAMME}-{programme_row(data, 'Begrüßung')}-DELETE"] = "on"
    data[f"{PROGRAMME}-{programme_row(data, 'Podium')}-title"] = "Podium am Nachmittag"
    add_inline_row(data, PROGRAMME, title="Mittagspause", starts_at="12:00", position="3")
    response = editor_client.post(change_url(event), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    event.refresh_from_db()
    assert event.title == "Quartierskonferenz 2026"
    assert set(event.programme_items.values_list("title", flat=True)) == {
        "Podium am Nachmittag",
        "Mittagspause",
    }
    return event, opening, panel


def versions_of(event: Event) -> list[Version]:
    """Oldest first."""
    return list(Version.objects.get_for_object(event).order_by("pk"))


def test_the_history_lists_each_save_with_the_editor(editor_client, edited_event):
    event, _, _ = edited_event
    response = editor_client.get(history_url(event))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("redakteurin") >= 2
    # The change message names the fields as the form does, in German.
    assert "Titel geändert." in content
    assert "Titel für Programmpunkt „Podium am Nachmittag“ geändert." in content
    assert len(versions_of(event)) == 2


def test_the_changes_of_a_version_name_fields_in_german_and_the_programme(
    editor_client, edited_event
):
    event, _, _ = edited_event
    first, second = versions_of(event)
    response = editor_client.get(f"{history_url(event)}{second.pk}/changes/")
    assert response.status_code == 200
    content = response.content.decode()
    # The event once, then each programme item that was added, removed or changed.
    assert content.count("<caption>Veranstaltung „") == 1
    assert content.count("<caption>Programmpunkt „") == 3
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>', content)
    assert rows[0] == ("Titel", "Quartierskonferenz", "Quartierskonferenz 2026")
    assert ("Titel", "Podium", "Podium am Nachmittag") in rows
    assert ("Reihenfolge", "–", "3") in rows  # of the item added
    assert f"„Begrüßung“ ({gettext('removed')})" in content
    assert f"„Mittagspause“ ({gettext('added')})" in content
    assert f"„Podium am Nachmittag“ ({gettext('changed')})" in content

    # The first version: nothing before it, but what has changed since.
    response = editor_client.get(f"{history_url(event)}{first.pk}/changes/")
    assert response.status_code == 200
    assertions = response.content.decode()
    assert "Podium am Nachmittag" in assertions
    assert f"{history_url(event)}{first.pk}/" in assertions  # the way back


def test_reverting_restores_the_event_with_its_programme(editor_client, edited_event):
    event, opening, panel = edited_event
    first, _ = versions_of(event)
    revert_url = f"{history_url(event)}{first.pk}/"

    # The form shows the old version first; nothing has changed yet.
    page = editor_client.get(revert_url)
    assert page.status_code == 200
    event.refresh_from_db()
    assert event.title == "Quartierskonferenz 2026"

    response = editor_client.post(revert_url, form_data(page))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Quartierskonferenz"
    assert sorted(event.programme_items.values_list("pk", "title")) == sorted(
        [(opening.pk, "Begrüßung"), (panel.pk, "Podium")]
    )
    assert not ProgrammeItem.objects.filter(title="Mittagspause").exists()
    # The revert is itself a version in the history, by the editor.
    latest = versions_of(event)[-1]
    assert latest.revision.user.username == "redakteurin"


def test_only_editors_who_may_change_events_can_revert(client, editor_client, edited_event):
    event, _, _ = edited_event
    first, _ = versions_of(event)
    revert_url = f"{history_url(event)}{first.pk}/"
    data = form_data(editor_client.get(revert_url))
    viewer = UserFactory(is_staff=True, permissions=["view_event", "view_programmeitem"])
    client.force_login(viewer)
    assert client.post(revert_url, data).status_code == 403
    event.refresh_from_db()
    assert event.title == "Quartierskonferenz 2026"


def test_reverting_needs_the_forms_csrf_token(editor, edited_event):
    from django.test import Client

    event, _, _ = edited_event
    first, _ = versions_of(event)
    revert_url = f"{history_url(event)}{first.pk}/"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    data = form_data(browser.get(revert_url))
    data.pop("csrfmiddlewaretoken")
    assert browser.post(revert_url, data).status_code == 403
    event.refresh_from_db()
    assert event.title == "Quartierskonferenz 2026"


def test_list_actions_leave_an_entry_in_the_history(editor_client):
    event = EventFactory(title="Entwurf im Quartier", status=Event.Status.DRAFT)
    response = editor_client.post(
        "/admin/events/event/", {"action": "publish", "_selected_action": [event.pk]}
    )
    assert response.status_code == 302
    response = editor_client.post(
        "/admin/events/event/",
        {"action": "publish_documentation", "_selected_action": [event.pk]},
    )
    assert response.status_code == 302

    history = editor_client.get(history_url(event)).content.decode()
    assert gettext("Published through the list action.") in history
    assert gettext("Documentation published through the list action.") in history
    assert history.count("redakteurin") >= 2
    versions = versions_of(event)
    assert [version.field_dict["status"] for version in versions] == ["published", "published"]
    assert versions[-1].field_dict["documentation_published"] is True
    # The admin's change log (the start page's recent changes) has both, by the editor.
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Event), object_id=str(event.pk)
    )
    assert [entry.user.username for entry in entries] == ["redakteurin", "redakteurin"]


def test_registrations_stay_out_of_the_history(client, admin_user, editor_client):
    event = EventFactory(registration_enabled=True, capacity=10)
    RegistrationFactory(event=event, name="Erika Beispiel", email="erika@example.org")
    client.force_login(admin_user)  # sees the registrations inline
    save_unchanged(client, event)

    registrations = ContentType.objects.get_for_model(Registration)
    assert not Version.objects.filter(content_type=registrations).exists()
    assert Version.objects.get_for_object(event).exists()
    for version in Version.objects.all():
        assert "erika" not in version.serialized_data.lower()


def test_speakers_changed_on_the_programme_items_page_are_in_the_events_history(editor_client):
    event = EventFactory(title="Quartierskonferenz")
    item = ProgrammeItemFactory(event=event, title="Podium")
    url = f"/admin/events/programmeitem/{item.pk}/change/"
    data = form_data(editor_client.get(url), "programmeitem_form")
    add_inline_row(data, "speakers", name="Erika Muster", function="Vorstand", position="1")
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    (version,) = versions_of(event)
    changes = editor_client.get(f"{history_url(event)}{version.pk}/changes/")
    assert changes.status_code == 200
    assert "redakteurin" in editor_client.get(history_url(event)).content.decode()
