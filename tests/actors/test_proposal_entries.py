"""A contact proposes changes to the organisation's offers and needs with its profile: changed,
removed and new entries reach the public page only when staff accept the proposal."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actors.models import ActorContact, OfferOrNeed, ProfileProposal
from actors.proposals import proposal_accept, proposal_entry_changes
from tests.actors.factories import ActorFactory, OfferOrNeedFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return ActorFactory(name="Kiezwerkstatt", city="Berlin")


@pytest.fixture
def contact(actor):
    user = UserFactory()
    ActorContact.objects.create(actor=actor, user=user, source=ActorContact.Source.STAFF)
    return user


@pytest.fixture
def entries(actor):
    rooms = OfferOrNeedFactory(
        actor=actor, direction="offer", kind="space", title="Räume", text="Zwei Räume"
    )
    helpers = OfferOrNeedFactory(
        actor=actor, direction="need", kind="volunteers", title="Helfende", text="Am Samstag"
    )
    return rooms, helpers


def post_data(actor, rows, **extra):
    data = {
        "name": actor.name,
        "city": actor.city,
        "description": actor.description,
        "save": "1",
        "entries-TOTAL_FORMS": str(len(rows)),
        "entries-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"entries-{n}-{key}"] = value
    return data | extra


def row(entry=None, **values):
    base = {"id": "", "direction": "", "kind": "other", "title": "", "text": ""}
    if entry is not None:
        base |= {
            "id": str(entry.pk),
            "direction": entry.direction,
            "kind": entry.kind,
            "title": entry.title,
            "text": entry.text,
        }
    return base | values


def edit_url(actor):
    return reverse("organisation:edit", kwargs={"slug": actor.slug})


def test_the_form_lists_the_entries_and_one_empty_for_a_new_one(client, actor, contact, entries):
    client.force_login(contact)
    formset = client.get(edit_url(actor)).context["entries"]
    assert [form.initial.get("title") for form in formset.forms] == ["Räume", "Helfende", None]


def test_changed_removed_and_new_entries_wait_for_staff_then_apply(client, actor, contact, entries):
    rooms, helpers = entries
    client.force_login(contact)
    rows = [
        row(rooms, text="Drei Räume, barrierefrei"),
        row(helpers, remove="on"),
        row(direction="offer", kind="knowledge", title="Beratung", text="Zu Förderanträgen"),
    ]
    response = client.post(edit_url(actor), post_data(actor, rows))
    assert response.status_code == 302
    proposal = ProfileProposal.objects.get()
    assert [entry["title"] for entry in proposal.values["offers_and_needs"]] == [
        "Räume",
        "Helfende",
        "Beratung",
    ]
    # Nothing public has changed.
    rooms.refresh_from_db()
    assert rooms.text == "Zwei Räume"
    assert OfferOrNeed.objects.filter(pk=helpers.pk).exists()
    assert not OfferOrNeed.objects.filter(title="Beratung").exists()
    # The form shows the proposal.
    formset = client.get(edit_url(actor)).context["entries"]
    assert formset.forms[0].initial["text"] == "Drei Räume, barrierefrei"
    assert formset.forms[2].initial["title"] == "Beratung"

    changes = {change.new["title"]: change for change in proposal_entry_changes(proposal)}
    assert changes["Räume"].what == "changed"
    assert changes["Räume"].old.text == "Zwei Räume"
    assert changes["Helfende"].what == "removed"
    assert changes["Beratung"].what == "added"

    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(editor)
    page = client.get(reverse("admin:actors_profileproposal_change", args=[proposal.pk]))
    assert "Drei Räume, barrierefrei" in page.content.decode()
    assert "Zu Förderanträgen" in page.content.decode()

    proposal_accept(proposal=proposal, reviewer=editor)
    rooms.refresh_from_db()
    assert rooms.text == "Drei Räume, barrierefrei"
    assert not OfferOrNeed.objects.filter(pk=helpers.pk).exists()
    new = OfferOrNeed.objects.get(title="Beratung")
    assert new.is_published and new.actor == actor and new.kind == "knowledge"


def test_unchanged_entries_are_no_proposal(client, actor, contact, entries):
    client.force_login(contact)
    rows = [row(entries[0]), row(entries[1]), row()]
    response = client.post(edit_url(actor), post_data(actor, rows))
    assert response.status_code == 200
    assert not ProfileProposal.objects.exists()


def test_an_entry_without_title_is_shown_again_with_what_was_typed(client, actor, contact):
    client.force_login(contact)
    rows = [row(direction="need", text="Ein Lastenrad für Feste")]
    response = client.post(edit_url(actor), post_data(actor, rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ein Lastenrad für Feste" in page
    assert "Bitte geben Sie dem Eintrag einen Titel." in page
    assert not ProfileProposal.objects.exists()


def test_an_entry_of_another_actor_cannot_be_changed(client, actor, contact):
    foreign = OfferOrNeedFactory(actor=ActorFactory(), title="Fremd", direction="offer")
    client.force_login(contact)
    rows = [row(foreign, title="Übernommen")]
    response = client.post(edit_url(actor), post_data(actor, rows))
    assert response.status_code == 200
    assert not ProfileProposal.objects.exists()
    foreign.refresh_from_db()
    assert foreign.title == "Fremd"
