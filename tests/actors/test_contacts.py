"""Contacts of an organisation ("Ansprechpersonen"): by an approved application, by an
invitation from the actor's admin page; removing them in the admin; the account's deletion and
data download (actors/contacts.py, actors/contact_views.py)."""

import datetime
import io
import json
import re
import time
from unittest import mock
from urllib.parse import parse_qs

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from actors.contacts import (
    contact_remove,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_token,
    masked_email,
)
from actors.models import ActorContact, ContactInvitation
from actors.services import application_approve
from tests.factories import PASSWORD, UserFactory

from .factories import ActorFactory, ApplicationFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/konto/organisation/einladung/\S+/")


def verified_person(email="nora@example.org", **fields):
    user = UserFactory(email=email, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def reviewer():
    return UserFactory(username="pruefer", is_staff=True)


@pytest.fixture
def redaktion():
    user = UserFactory(username="redaktion", is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    return user


@pytest.fixture
def actor():
    return ActorFactory(name="Stadtteilladen Nord", slug="stadtteilladen-nord")


def invite(actor, email="Nora@Example.org", by=None):
    invitation = invitation_create(actor=actor, email=email, invited_by=by)
    return invitation, invitation_page(invitation)


def invitation_page(invitation) -> str:
    return reverse("organisation:invitation", args=[invitation_token(invitation=invitation)])


# --- By approval -------------------------------------------------------------------------------


def test_approving_an_application_of_a_verified_account_makes_its_sender_the_contact(
    reviewer, mailoutbox, settings
):
    settings.PORTAL_BASE_URL = "https://quartier.example"
    person = verified_person()
    application = ApplicationFactory(user=person, email="nora@example.org")

    actor = application_approve(application=application, reviewer=reviewer)

    [contact] = ActorContact.objects.filter(actor=actor)
    assert contact.user == person
    assert contact.source == ActorContact.Source.APPLICATION
    [message] = mailoutbox
    assert "https://quartier.example/konto/organisation/" in message.body
    assert "aktuell halten" in message.body


def test_an_application_sent_without_an_account_makes_nobody_a_contact(reviewer, mailoutbox):
    verified_person(email="erika@example.org")  # the same address, but not logged in
    application = ApplicationFactory(user=None, email="erika@example.org")

    actor = application_approve(application=application, reviewer=reviewer)

    assert not ActorContact.objects.filter(actor=actor).exists()
    assert "/konto/organisation/" not in mailoutbox[0].body


def test_an_account_without_a_verified_address_does_not_become_a_contact(reviewer, mailoutbox):
    person = UserFactory(email="ungeprueft@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    application = ApplicationFactory(user=person, email=person.email)

    actor = application_approve(application=application, reviewer=reviewer)

    assert not ActorContact.objects.filter(actor=actor).exists()
    assert "/konto/organisation/" not in mailoutbox[0].body


# --- The invitation ----------------------------------------------------------------------------


def test_the_invitation_is_sent_after_the_commit_with_a_signed_link(actor, redaktion, settings):
    settings.PORTAL_BASE_URL = "https://quartier.example"
    with transaction.atomic():
        invitation = invitation_create(
            actor=actor, email=" nora@example.org ", invited_by=redaktion
        )
        assert mail.outbox == []  # nothing before the commit (tests/commit_hooks.py)
    [message] = mail.outbox
    assert message.to == ["nora@example.org"]
    assert "Stadtteilladen Nord" in message.subject
    [link] = LINK.findall(message.body)
    assert link.startswith("https://quartier.example/konto/organisation/einladung/")
    assert invitation_from_token(token=link.rstrip("/").rsplit("/", 1)[1]) == invitation
    assert link in message.alternatives[0][0]
    assert "14 Tage" in message.body
    assert invitation.invited_by == redaktion
    assert invitation.email == "nora@example.org"


def test_an_invitation_rolled_back_sends_nothing(actor):
    with pytest.raises(RuntimeError), transaction.atomic():
        invitation_create(actor=actor, email="nora@example.org", invited_by=None)
        raise RuntimeError
    assert mail.outbox == []
    assert not ContactInvitation.objects.exists()


def test_a_new_invitation_replaces_the_open_one_of_the_same_address(actor):
    first, first_page = invite(actor, "nora@example.org")
    second, _page = invite(actor, "NORA@example.org")
    assert list(ContactInvitation.objects.all()) == [second]


def test_inviting_an_account_that_is_a_contact_already_is_refused(actor):
    person = verified_person()
    ActorContact.objects.create(actor=actor, user=person, source=ActorContact.Source.STAFF)
    with pytest.raises(ValidationError) as error:
        invitation_create(actor=actor, email="NORA@example.org", invited_by=None)
    assert error.value.code == "already_contact"
    assert not ContactInvitation.objects.exists()
    assert mail.outbox == []


def test_accepting_with_the_invited_address_verified(client, actor):
    invitation, page = invite(actor)
    person = verified_person(email="nora@example.org")  # written differently from the invitation
    client.force_login(person)

    shown = client.get(page)
    assert shown.status_code == 200
    assert "Stadtteilladen Nord" in shown.content.decode()
    assert "Einladung annehmen" in shown.content.decode()
    assert not ActorContact.objects.exists()  # a GET changes nothing

    response = client.post(page, follow=True)

    assert response.redirect_chain[-1][0] == reverse("organisation:list")
    assert "Sie sind jetzt Ansprechperson von „Stadtteilladen Nord“" in response.content.decode()
    contact = ActorContact.objects.get()
    assert (contact.actor, contact.user) == (actor, person)
    assert contact.source == ActorContact.Source.INVITATION
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    assert invitation.accepted_at is not None
    entry = LogEntry.objects.get(object_id=str(actor.pk))
    assert entry.user == person
    assert "Einladung" in entry.get_change_message()
    [version] = Version.objects.get_for_object(actor)  # the actor's history page shows it
    assert version.revision.user == person
    assert "Einladung" in version.revision.comment


def test_accepting_with_another_address_says_which_one_and_changes_nothing(client, actor):
    invitation, page = invite(actor, "nora.neumann@example.org")
    client.force_login(verified_person(email="fritz@example.org"))

    shown = client.get(page)
    assert "n…n@example.org" in shown.content.decode()
    assert "nora.neumann" not in shown.content.decode()
    assert "Einladung annehmen" not in shown.content.decode()

    response = client.post(page)

    assert response.status_code == 403
    text = response.content.decode()
    assert "Diese Einladung gilt für die E-Mail-Adresse n…n@example.org" in text
    assert not ActorContact.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_with_the_address_not_verified_changes_nothing(client, actor):
    invitation, page = invite(actor)
    person = UserFactory(email="nora@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    client.force_login(person)

    response = client.post(page)

    assert response.status_code == 403
    assert "N…a@Example.org" in response.content.decode()
    assert not ActorContact.objects.exists()


def test_the_service_refuses_an_unverified_address_too(actor):
    invitation, _page = invite(actor)
    person = UserFactory(email="nora@example.org")
    with pytest.raises(ValidationError, match="N…a@Example.org") as error:
        invitation_accept(invitation=invitation, user=person)
    assert error.value.code == "address"
    assert not ActorContact.objects.exists()


def assert_calm_404(response):
    assert response.status_code == 404
    text = response.content.decode()
    assert "Dieser Einladungslink ist nicht (mehr) gültig." in text
    assert "Stadtteilladen Nord" not in text


def test_an_expired_link_is_a_calm_404(client, actor, settings):
    settings.CONTACT_INVITATION_DAYS = 14
    fifteen_days_ago = time.time() - 15 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=fifteen_days_ago):
        invitation, page = invite(actor)
    client.force_login(verified_person())
    assert_calm_404(client.get(page))
    assert_calm_404(client.post(page))
    assert not ActorContact.objects.exists()


def test_a_link_within_its_days_still_works(client, actor, settings):
    settings.CONTACT_INVITATION_DAYS = 14
    thirteen_days_ago = time.time() - 13 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=thirteen_days_ago):
        invitation, page = invite(actor)
    client.force_login(verified_person())
    assert client.get(page).status_code == 200


def test_a_used_link_is_a_calm_404_also_for_the_person_who_used_it(client, actor):
    invitation, page = invite(actor)
    client.force_login(verified_person())
    client.post(page, follow=True)
    assert ActorContact.objects.count() == 1

    assert_calm_404(client.get(page))
    assert_calm_404(client.post(page))
    assert ActorContact.objects.count() == 1


def test_a_forged_link_is_a_calm_404(client, actor):
    invitation, page = invite(actor)
    client.force_login(verified_person())
    token = invitation_token(invitation=invitation)
    forged = reverse("organisation:invitation", args=[token[:-2] + "xx"])
    assert_calm_404(client.get(forged))
    # Another signed link of the portal (the confirmation of an application) is no invitation.
    from actors.services import application_confirm_token

    other = ApplicationFactory(pk=invitation.pk)
    other_token = application_confirm_token(application=other)
    assert_calm_404(client.get(reverse("organisation:invitation", args=[other_token])))
    assert_calm_404(client.post(forged))
    assert not ActorContact.objects.exists()


def test_a_revoked_invitation_is_a_calm_404(client, actor):
    invitation, page = invite(actor)
    invitation.delete()  # what staff do in the admin to revoke it
    client.force_login(verified_person())
    assert_calm_404(client.get(page))
    assert_calm_404(client.post(page))
    assert not ActorContact.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_and_back(client, actor):
    invitation, page = invite(actor)

    response = client.get(page)

    assert response.status_code == 302
    login_url, query = response["Location"].split("?")
    assert login_url == reverse("account_login")
    assert parse_qs(query)["next"] == [page]
    person = verified_person()
    login = client.post(
        response["Location"], {"login": person.email, "password": PASSWORD}, follow=False
    )
    assert login.status_code == 302
    assert login["Location"] == page
    assert client.get(page).status_code == 200


def test_an_anonymous_post_accepts_nothing(client, actor):
    invitation, page = invite(actor)
    response = client.post(page)
    assert response.status_code == 302
    assert not ActorContact.objects.exists()


def test_accepting_needs_the_csrf_token(actor):
    from django.test import Client

    invitation, page = invite(actor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(verified_person())
    assert client.post(page).status_code == 403
    assert not ActorContact.objects.exists()


def test_accepting_is_rate_limited(client, actor, settings):
    settings.FORM_RATE_LIMIT_PER_HOUR = 2
    invitation, page = invite(actor, "nora.neumann@example.org")
    client.force_login(verified_person(email="fritz@example.org"))
    assert client.post(page).status_code == 403
    assert client.post(page).status_code == 403
    limited = client.post(page)
    assert limited.status_code == 429
    assert "zu viele Versuche" in limited.content.decode()


def test_the_actor_name_on_the_invitation_page_is_escaped(client):
    actor = ActorFactory(name='<script>alert("x")</script> & Co')
    invitation, page = invite(actor)
    client.force_login(verified_person())
    text = client.get(page).content.decode()
    assert '<script>alert("x")</script>' not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in text


@pytest.mark.parametrize("others", [0, 25])
def test_the_invitation_page_makes_a_bounded_number_of_queries(client, others):
    for number in range(others):
        other = ActorFactory()
        invite(other, f"andere{number}@example.org")
        ActorContact.objects.create(
            actor=other,
            user=verified_person(email=f"kontakt{number}@example.org"),
            source=ActorContact.Source.STAFF,
        )
    invitation, page = invite(ActorFactory(), "nora@example.org")
    client.force_login(verified_person())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page)
    assert response.status_code == 200
    # The session and its account, the invitation with its actor, the verified address.
    assert len(queries) <= 4


def test_expired_invitations_are_deleted_by_the_daily_purge(actor, settings):
    settings.CONTACT_INVITATION_DAYS = 14
    expired, _page = invite(actor, "alt@example.org")
    recent, _page = invite(actor, "neu@example.org")
    accepted, _page = invite(actor, "nora@example.org")
    invitation_accept(invitation=accepted, user=verified_person())
    fifteen_days_ago = timezone.now() - datetime.timedelta(days=15)
    ContactInvitation.objects.filter(pk__in=[expired.pk, accepted.pk]).update(
        created_at=fifteen_days_ago
    )
    output = io.StringIO()

    call_command("purge_personal_data", stdout=output)

    assert set(ContactInvitation.objects.all()) == {recent, accepted}
    assert "1 expired invitation(s)" in output.getvalue()


def test_removing_a_contact_is_in_the_actors_history(actor, redaktion):
    person = verified_person()
    leaving = ActorContact.objects.create(
        actor=actor, user=person, source=ActorContact.Source.INVITATION
    )
    removed = ActorContact.objects.create(
        actor=actor, user=verified_person(email="fritz@example.org"), source="staff"
    )

    contact_remove(contact=leaving, by=person)
    contact_remove(contact=removed, by=redaktion)

    assert not ActorContact.objects.filter(actor=actor).exists()
    left, by_staff = LogEntry.objects.filter(object_id=str(actor.pk)).order_by("pk")
    assert (left.user, left.change_message) == (person, "Eine Ansprechperson hat sich ausgetragen.")
    assert (by_staff.user, by_staff.change_message) == (
        redaktion,
        "Eine Ansprechperson wurde entfernt.",
    )
    actor.refresh_from_db()  # the actor stays


def test_masked_addresses():
    assert masked_email("nora.neumann@example.org") == "n…n@example.org"
    assert masked_email("ab@example.org") == "a…@example.org"
    assert masked_email("x@example.org") == "x…@example.org"


# --- The admin ---------------------------------------------------------------------------------


def test_redaktion_sees_the_contacts_and_open_invitations_on_the_actor_page(
    client, actor, redaktion
):
    person = verified_person(email="kontakt@example.org")
    ActorContact.objects.create(actor=actor, user=person, source=ActorContact.Source.APPLICATION)
    invite(actor, "offen@example.org")
    accepted, _page = invite(actor, "angenommen@example.org")
    invitation_accept(invitation=accepted, user=verified_person(email="angenommen@example.org"))
    client.force_login(redaktion)

    page = client.get(reverse("admin:actors_actor_change", args=[actor.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "kontakt@example.org" in text
    assert "genehmigte Bewerbung" in text
    assert "offen@example.org" in text
    assert "angenommen@example.org" in text  # now a contact, no longer an open invitation
    assert text.count("angenommen@example.org") == 1
    assert reverse("admin:actors_actor_invite", args=[actor.pk]) in text
    assert 'name="contacts-0-DELETE"' in text
    assert 'name="contacts-0-source"' not in text  # nobody edits a contact by hand


def test_redaktion_removes_a_contact_and_revokes_an_invitation_recorded_in_the_history(
    client, actor, redaktion
):
    person = verified_person(email="kontakt@example.org")
    contact = ActorContact.objects.create(
        actor=actor, user=person, source=ActorContact.Source.APPLICATION
    )
    invitation, invitation_link = invite(actor, "offen@example.org")
    client.force_login(redaktion)
    url = reverse("admin:actors_actor_change", args=[actor.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if not isinstance(value, list | tuple) and name not in ("logo", "topics")
    }
    data.update(
        {
            "name": actor.name,
            "slug": actor.slug,
            "role": actor.role,
            "topics": "",
            "description": actor.description,
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
            "offers_and_needs-TOTAL_FORMS": "0",
            "offers_and_needs-INITIAL_FORMS": "0",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": str(contact.pk),
            "contacts-0-actor": str(actor.pk),
            "contacts-0-DELETE": "on",
            "invitations-TOTAL_FORMS": "1",
            "invitations-INITIAL_FORMS": "1",
            "invitations-0-id": str(invitation.pk),
            "invitations-0-actor": str(actor.pk),
            "invitations-0-DELETE": "on",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert not ActorContact.objects.exists()
    assert not ContactInvitation.objects.exists()
    entry = LogEntry.objects.filter(object_id=str(actor.pk)).latest("action_time")
    assert entry.user == redaktion
    assert f"Ansprechperson „{contact.pk}“ gelöscht" in entry.get_change_message()
    assert f"„{invitation.pk}“ gelöscht" in entry.get_change_message()
    for personal in ("kontakt@example.org", person.username, "offen@example.org"):
        assert personal not in entry.change_message
    history = client.get(reverse("admin:actors_actor_history", args=[actor.pk]))
    assert f"Ansprechperson „{contact.pk}“ gelöscht" in history.content.decode()
    client.force_login(verified_person(email="offen@example.org"))
    assert client.get(invitation_link).status_code == 404


def test_redaktion_invites_a_contact_from_the_actor_page(client, actor, redaktion, mailoutbox):
    client.force_login(redaktion)
    url = reverse("admin:actors_actor_invite", args=[actor.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="email"' in page.content.decode()
    assert not ContactInvitation.objects.exists()  # a GET sends nothing

    wrong = client.post(url, {"email": "keine-adresse"})
    assert wrong.status_code == 200
    assert not ContactInvitation.objects.exists()

    response = client.post(url, {"email": "nora@example.org"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:actors_actor_change", args=[actor.pk])
    assert "Die Einladung wurde an nora@example.org gesendet." in response.content.decode()
    invitation = ContactInvitation.objects.get()
    assert (invitation.actor, invitation.email, invitation.invited_by) == (
        actor,
        "nora@example.org",
        redaktion,
    )
    [message] = mailoutbox
    assert message.to == ["nora@example.org"]
    entry = LogEntry.objects.get(object_id=str(actor.pk))
    assert entry.user == redaktion
    assert "nora@example.org" not in entry.get_change_message()  # no personal data in the log
    history = client.get(reverse("admin:actors_actor_history", args=[actor.pk]))
    assert "Eine Ansprechperson per E-Mail eingeladen." in history.content.decode()


def test_the_invite_page_needs_the_permission(client, actor, mailoutbox):
    url = reverse("admin:actors_actor_invite", args=[actor.pk])
    viewer = UserFactory(username="nur-lesen", is_staff=True, permissions=["view_actor"])
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "nora@example.org"}).status_code == 403
    change_page = client.get(reverse("admin:actors_actor_change", args=[actor.pk]))
    assert url not in change_page.content.decode()

    client.force_login(verified_person(email="akteurin@example.org"))  # an actor's account
    response = client.post(url, {"email": "nora@example.org"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not ContactInvitation.objects.exists()
    assert mailoutbox == []


def test_the_invite_page_of_an_unknown_actor_is_not_found(client, redaktion):
    client.force_login(redaktion)
    assert client.get(reverse("admin:actors_actor_invite", args=[999999])).status_code == 404


# --- The account ------------------------------------------------------------------------------


def test_deleting_the_account_removes_its_memberships(client, actor):
    person = verified_person(email="nora@example.org", username="nora")
    person.set_password(PASSWORD)
    person.save()
    ActorContact.objects.create(actor=actor, user=person, source=ActorContact.Source.APPLICATION)
    invitation, _page = invite(ActorFactory(name="Zweiter Verein"), "nora@example.org")
    invitation_accept(invitation=invitation, user=person)
    other = verified_person(email="bleibt@example.org")
    ActorContact.objects.create(actor=actor, user=other, source=ActorContact.Source.STAFF)
    client.force_login(person)

    page = client.get(reverse("account_delete"))
    assert "nicht mehr Ansprechperson" in page.content.decode()
    response = client.post(reverse("account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert list(ActorContact.objects.values_list("user__email", flat=True)) == [
        "bleibt@example.org"
    ]
    assert not ContactInvitation.objects.exists()  # accepted with the account, gone with it
    actor.refresh_from_db()  # the organisation stays


def test_the_data_download_lists_the_memberships_and_accepted_invitations(client, actor):
    person = verified_person()
    ActorContact.objects.create(actor=actor, user=person, source=ActorContact.Source.APPLICATION)
    invitation, _page = invite(ActorFactory(name="Zweiter Verein"), "nora@example.org")
    invitation_accept(invitation=invitation, user=person)
    stranger = verified_person(email="fremd@example.org")
    ActorContact.objects.create(
        actor=ActorFactory(name="Fremder Verein"), user=stranger, source=ActorContact.Source.STAFF
    )
    client.force_login(person)

    data = json.loads(client.get(reverse("account_data_export")).content)

    memberships = {item["actor"]: item for item in data["contact_person_of"]}
    assert set(memberships) == {"Stadtteilladen Nord", "Zweiter Verein"}
    assert memberships["Stadtteilladen Nord"]["how"] == "genehmigte Bewerbung"
    assert memberships["Zweiter Verein"]["how"] == "angenommene Einladung"
    assert re.match(r"\d{4}-\d\d-\d\dT", memberships["Zweiter Verein"]["since"])
    [accepted] = data["invitations_accepted"]
    assert accepted["actor"] == "Zweiter Verein"
    assert accepted["email"] == "nora@example.org"
    assert accepted["accepted_at"]
    assert "Fremder Verein" not in json.dumps(data)
