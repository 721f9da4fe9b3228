"""Contacts propose changes to their organisation's profile; staff accept or return them."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from reversion.models import Version

from actors.models import ActorContact, ProfileProposal
from actors.proposals import (
    contact_leave,
    proposal_accept,
    proposal_changes,
    proposal_return,
    proposal_save,
)
from tests.actors.factories import ActorFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks(_tasks_run_at_once):
    """E-mails leave at once (tests/conftest.py)."""


def contact_of(actor, **kwargs):
    user = UserFactory(**kwargs)
    ActorContact.objects.create(actor=actor, user=user, source=ActorContact.Source.STAFF)
    return user


def redaktion():
    user = UserFactory(is_staff=True, first_name="Rita", last_name="Redaktion")
    user.groups.add(Group.objects.get(name="Redaktion"))
    return user


@pytest.fixture
def actor():
    return ActorFactory(
        name="Stadtteilverein Nord",
        description="Wir machen Nachbarschaft.",
        city="Berlin",
        topics=["Wohnen"],
    )


@pytest.fixture
def contact(actor):
    return contact_of(actor, first_name="Karla", last_name="Kontakt")


def form_data(actor, **changes):
    data = {
        "name": actor.name,
        "short_name": actor.short_name,
        "description": actor.description,
        "mission": actor.mission,
        "website": actor.website,
        "city": actor.city,
        "topics": ", ".join(tag.name for tag in actor.topics.all()),
        "logo_alt_text": "",
        "logo_credit": "",
        "logo_licence": "",
        "save": "1",
        # No offers and needs in the form: none changed (see test_proposal_entries.py).
        "entries-TOTAL_FORMS": "0",
        "entries-INITIAL_FORMS": "0",
    }
    return data | changes


def edit_url(actor):
    return reverse("organisation:edit", kwargs={"slug": actor.slug})


def test_the_form_is_prefilled_from_the_actor_and_then_from_the_pending_proposal(
    client, actor, contact
):
    client.force_login(contact)
    page = client.get(edit_url(actor)).content.decode()
    assert "Wir machen Nachbarschaft." in page
    client.post(edit_url(actor), form_data(actor, description="Neuer Text"))
    page = client.get(edit_url(actor)).content.decode()
    assert "Neuer Text" in page
    assert "Wir machen Nachbarschaft." not in page


def test_errors_are_shown_in_german_and_keep_what_was_typed(client, actor, contact):
    client.force_login(contact)
    response = client.post(
        edit_url(actor),
        form_data(actor, name="", website="kein web", description="Mein getippter Text"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mein getippter Text" in page
    assert "Dieses Feld ist zwingend erforderlich." in page
    assert not ProfileProposal.objects.exists()


def test_a_proposal_does_not_change_the_public_page_until_accepted(client, actor, contact):
    client.force_login(contact)
    response = client.post(edit_url(actor), form_data(actor, description="Ganz **neu**."))
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:list")
    assert mail.outbox == []  # staff see it on the start page, not by e-mail
    public = client.get(actor.get_absolute_url()).content.decode()
    assert "Wir machen Nachbarschaft." in public
    assert "Ganz" not in public
    proposal = ProfileProposal.objects.get()
    assert proposal.values == {"description": "Ganz **neu**."}  # only what changed
    assert proposal.proposed_by == contact
    proposal_accept(proposal=proposal, reviewer=redaktion())
    public = client.get(actor.get_absolute_url()).content.decode()
    assert "Ganz <strong>neu</strong>." in public


def test_the_preview_shows_the_sanitised_description_and_saves_nothing(client, actor, contact):
    client.force_login(contact)
    data = form_data(actor, description="**fett** <script>alert(1)</script>")
    del data["save"]
    data["preview"] = "1"
    response = client.post(edit_url(actor), data)
    page = response.content.decode()
    assert "<strong>fett</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert not ProfileProposal.objects.exists()


def test_saving_again_updates_the_one_pending_proposal(client, actor, contact):
    client.force_login(contact)
    client.post(edit_url(actor), form_data(actor, city="Hamburg"))
    client.post(edit_url(actor), form_data(actor, city="Leipzig", short_name="SVN"))
    proposal = ProfileProposal.objects.get()
    assert proposal.values == {"city": "Leipzig", "short_name": "SVN"}


def test_nothing_changed_is_said_and_nothing_is_saved(client, actor, contact):
    client.force_login(contact)
    response = client.post(edit_url(actor), form_data(actor))
    assert response.status_code == 200
    assert "noch nichts geändert" in response.content.decode()
    assert not ProfileProposal.objects.exists()


def test_the_database_holds_one_pending_proposal_per_actor(actor, contact):
    proposal_save(actor=actor, user=contact, values={"city": "Köln"})
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfileProposal.objects.create(actor=actor, based_on=actor.updated_at)
    # A decided one does not count.
    ProfileProposal.objects.create(
        actor=actor, based_on=actor.updated_at, status=ProfileProposal.Status.RETURNED
    )


def test_only_a_contact_may_save_a_proposal(actor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        proposal_save(actor=actor, user=UserFactory(), values={"city": "Köln"})


def test_accepting_changes_the_actor_records_history_and_tells_the_contact(actor, contact):
    proposal = proposal_save(
        actor=actor,
        user=contact,
        values={"description": "Neu", "topics": ["Kultur", "Wohnen"], "city": "Berlin"},
    )
    reviewer = redaktion()
    proposal_accept(proposal=proposal, reviewer=reviewer)
    actor.refresh_from_db()
    assert actor.description == "Neu"
    assert sorted(t.name for t in actor.topics.all()) == ["Kultur", "Wohnen"]
    proposal.refresh_from_db()
    assert proposal.status == ProfileProposal.Status.ACCEPTED
    assert proposal.decided_by == reviewer
    version = Version.objects.get_for_object(actor).first()
    assert version.revision.user == reviewer
    assert "Karla Kontakt" in version.revision.comment
    assert "Rita Redaktion" in version.revision.comment
    assert version.field_dict["description"] == "Neu"
    [message] = mail.outbox
    assert message.to == [contact.email]
    assert "angenommen" in message.subject
    assert "Stadtteilverein Nord" in message.subject


def test_returning_needs_a_note_which_the_contact_gets_and_sees(client, actor, contact):
    from django.core.exceptions import ValidationError

    proposal = proposal_save(actor=actor, user=contact, values={"city": "Bonn"})
    with pytest.raises(ValidationError):
        proposal_return(proposal=proposal, reviewer=redaktion(), note="  ")
    proposal_return(proposal=proposal, reviewer=redaktion(), note="Bitte die Stadt prüfen.")
    actor.refresh_from_db()
    assert actor.city == "Berlin"
    [message] = mail.outbox
    assert message.to == [contact.email]
    assert "Bitte die Stadt prüfen." in message.body
    client.force_login(contact)
    page = client.get(reverse("organisation:list")).content.decode()
    assert "Bitte die Stadt prüfen." in page
    assert "Zurückgegeben" in page


def test_a_decided_proposal_cannot_be_decided_again(actor, contact):
    from django.core.exceptions import ValidationError

    proposal = proposal_save(actor=actor, user=contact, values={"city": "Bonn"})
    proposal_accept(proposal=proposal, reviewer=redaktion())
    with pytest.raises(ValidationError):
        proposal_return(proposal=proposal, reviewer=redaktion(), note="Zu spät")


def test_the_diff_shows_old_and_new_the_text_lines_and_the_topics(actor, contact):
    actor.description = "Zeile eins\nZeile zwei"
    actor.save()
    proposal = proposal_save(
        actor=actor,
        user=contact,
        values={
            "description": "Zeile eins\nZeile drei",
            "city": "Dresden",
            "topics": ["Kultur"],
        },
    )
    changes = {change.name: change for change in proposal_changes(proposal)}
    assert changes["city"].old == "Berlin"
    assert changes["city"].new == "Dresden"
    assert changes["topics"].added == ["Kultur"]
    assert changes["topics"].removed == ["Wohnen"]
    assert ("same", "Zeile eins") in changes["description"].lines
    assert ("removed", "Zeile zwei") in changes["description"].lines
    assert ("added", "Zeile drei") in changes["description"].lines


def test_staff_see_the_diff_and_a_warning_when_the_profile_changed_since(client, actor, contact):
    proposal = proposal_save(actor=actor, user=contact, values={"city": "Dresden"})
    url = reverse("admin:actors_profileproposal_change", args=[proposal.pk])
    client.force_login(redaktion())
    page = client.get(url).content.decode()
    assert "Dresden" in page and "Berlin" in page
    assert "älteren Stand" not in page
    actor.refresh_from_db()
    actor.mission = "Von der Redaktion ergänzt"
    actor.updated_at_before = actor.updated_at
    actor.save()
    assert actor.updated_at > proposal.based_on
    page = client.get(url).content.decode()
    assert "älteren Stand" in page


def test_accepting_keeps_what_staff_changed_in_between(actor, contact):
    proposal = proposal_save(actor=actor, user=contact, values={"city": "Dresden"})
    actor.refresh_from_db()
    actor.mission = "Von der Redaktion"
    actor.save()
    proposal_accept(proposal=proposal, reviewer=redaktion())
    actor.refresh_from_db()
    assert (actor.city, actor.mission) == ("Dresden", "Von der Redaktion")


def test_staff_accept_and_return_through_the_admin(client, actor, contact):
    reviewer = redaktion()
    client.force_login(reviewer)
    proposal = proposal_save(actor=actor, user=contact, values={"city": "Dresden"})
    decide = reverse("admin:actors_profileproposal_decide", args=[proposal.pk])
    response = client.post(decide, {"_return": "1", "staff_note": ""})
    assert response.status_code == 400
    assert ProfileProposal.objects.get().is_pending
    response = client.post(decide, {"_accept": "1"})
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.city == "Dresden"
    assert len(mail.outbox) == 1
    assert client.get(decide).status_code == 405  # no decision on GET


def test_staff_without_the_permission_cannot_decide(client, actor, contact):
    viewer = UserFactory(is_staff=True, permissions=["view_profileproposal"])
    client.force_login(viewer)
    proposal = proposal_save(actor=actor, user=contact, values={"city": "Dresden"})
    page = client.get(reverse("admin:actors_profileproposal_change", args=[proposal.pk]))
    assert "_accept" not in page.content.decode()
    decide = reverse("admin:actors_profileproposal_decide", args=[proposal.pk])
    assert client.post(decide, {"_accept": "1"}).status_code == 403
    actor.refresh_from_db()
    assert actor.city == "Berlin"


def test_the_actors_admin_page_links_to_its_pending_proposal(client, actor, contact):
    client.force_login(redaktion())
    proposal = proposal_save(actor=actor, user=contact, values={"city": "Dresden"})
    page = client.get(reverse("admin:actors_actor_change", args=[actor.pk])).content.decode()
    assert reverse("admin:actors_profileproposal_change", args=[proposal.pk]) in page


def test_the_dashboard_lists_pending_proposals(client, actor, contact):
    client.force_login(redaktion())
    proposal_save(actor=actor, user=contact, values={"city": "Dresden"})
    response = client.get(reverse("admin:index"))
    box = response.context["dashboard"]["proposals"]
    assert box.count == 1
    assert "Stadtteilverein Nord" in response.content.decode()


def test_leaving_asks_first_then_removes_the_membership_and_keeps_the_proposal(
    client, actor, contact
):
    proposal_save(actor=actor, user=contact, values={"city": "Dresden"})
    client.force_login(contact)
    url = reverse("organisation:leave", kwargs={"slug": actor.slug})
    assert client.get(url).status_code == 200
    assert ActorContact.objects.filter(user=contact).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not ActorContact.objects.filter(user=contact).exists()
    assert ProfileProposal.objects.pending().filter(actor=actor).exists()
    assert client.get(edit_url(actor)).status_code == 404
    staff = redaktion()
    client.force_login(staff)
    proposal = ProfileProposal.objects.get()
    page = client.get(reverse("admin:actors_profileproposal_change", args=[proposal.pk]))
    assert "nicht mehr Ansprechperson" in page.content.decode()


def test_withdrawing_a_proposal(client, actor, contact):
    proposal_save(actor=actor, user=contact, values={"city": "Dresden"})
    client.force_login(contact)
    response = client.post(reverse("organisation:withdraw", kwargs={"slug": actor.slug}))
    assert response.status_code == 302
    assert ProfileProposal.objects.get().status == ProfileProposal.Status.WITHDRAWN


def test_contact_leave_removes_only_that_membership(actor, contact):
    other = ActorFactory()
    ActorContact.objects.create(actor=other, user=contact, source=ActorContact.Source.STAFF)
    assert contact_leave(actor=actor, user=contact) is True
    assert list(ActorContact.objects.filter(user=contact).values_list("actor", flat=True)) == [
        other.pk
    ]


def test_the_list_explains_itself_to_someone_without_organisations(client):
    client.force_login(UserFactory())
    page = client.get(reverse("organisation:list")).content.decode()
    assert "noch keine Ansprechperson" in page


def test_the_account_overview_links_contacts_to_their_organisations(client, actor, contact):
    client.force_login(contact)
    assert reverse("organisation:list") in client.get(reverse("account_overview")).content.decode()
    client.force_login(UserFactory())
    page = client.get(reverse("account_overview")).content.decode()
    assert reverse("organisation:list") not in page


def test_a_logo_needs_its_alt_text_licence_and_the_confirmation(client, actor, contact, png):
    client.force_login(contact)
    response = client.post(edit_url(actor), form_data(actor, logo=png()))
    assert response.status_code == 200
    assert not ProfileProposal.objects.exists()
    response = client.post(
        edit_url(actor),
        form_data(
            actor,
            logo=png(),
            logo_alt_text="Ein grünes Haus",
            logo_licence="cc-by-4.0",
            logo_credit="© Verein",
            logo_permission="on",
        ),
    )
    assert response.status_code == 302
    proposal = ProfileProposal.objects.get()
    assert proposal.logo and proposal.logo_permission
    proposal_accept(proposal=proposal, reviewer=redaktion())
    actor.refresh_from_db()
    assert actor.logo.name == proposal.logo.name
    assert actor.logo_alt_text == "Ein grünes Haus"


def test_an_image_that_is_no_image_is_refused_as_for_staff(client, actor, contact):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(contact)
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", "image/png")
    data = form_data(
        actor, logo=fake, logo_alt_text="x", logo_licence="cc0-1.0", logo_permission="on"
    )
    response = client.post(edit_url(actor), data)
    assert response.status_code == 200
    assert not ProfileProposal.objects.exists()


@pytest.fixture
def png():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def make():
        buffer = io.BytesIO()
        Image.new("RGB", (20, 10), "green").save(buffer, "PNG")
        return SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png")

    return make


def test_post_is_rate_limited(client, actor, contact, settings):
    settings.FORM_RATE_LIMIT_PER_HOUR = 2
    client.force_login(contact)
    for _ in range(2):
        client.post(edit_url(actor), form_data(actor, city="Essen"))
    response = client.post(edit_url(actor), form_data(actor, city="Mainz"))
    assert response.status_code == 429
    assert "Mainz" in response.content.decode()
    assert ProfileProposal.objects.get().values == {"city": "Essen"}


def test_stale_is_told_by_the_profile_date(actor, contact):
    proposal = proposal_save(actor=actor, user=contact, values={"city": "Dresden"})
    proposal.based_on = actor.updated_at - datetime.timedelta(minutes=1)
    assert proposal.is_stale


def test_a_form_opened_before_staff_changed_the_profile_makes_a_stale_proposal(
    client, actor, contact
):
    client.force_login(contact)
    form = client.get(edit_url(actor)).context["form"]
    shown = form.initial["based_on"]
    actor.refresh_from_db()
    actor.city = "Von der Redaktion korrigiert"
    actor.save()
    data = form_data(actor, city="Berlin", description="Neu", based_on=shown)
    assert client.post(edit_url(actor), data).status_code == 302
    proposal = ProfileProposal.objects.select_related("actor").get()
    assert proposal.is_stale
    # What the form still said is listed as a change, so staff see what accepting would undo.
    assert {change.name for change in proposal_changes(proposal)} == {"city", "description"}


def test_topics_in_another_order_are_no_change(actor, contact):
    from django.core.exceptions import ValidationError

    actor.topics.add("Kultur")
    with pytest.raises(ValidationError):
        proposal_save(actor=actor, user=contact, values={"topics": ["wohnen", "Kultur"]})
