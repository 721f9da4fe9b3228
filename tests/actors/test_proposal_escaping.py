"""What a contact proposes is their text: shown escaped on the staff's diff page, on the
dashboard and on the contact's own list, never as markup."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actors.models import ActorContact
from actors.proposals import proposal_return, proposal_save
from tests.actors.factories import ActorFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATTACK = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'


@pytest.fixture
def proposal():
    actor = ActorFactory(name="Verein", description="Alt", topics=["Wohnen"])
    contact = UserFactory(first_name=ATTACK)
    ActorContact.objects.create(actor=actor, user=contact, source=ActorContact.Source.STAFF)
    return proposal_save(
        actor=actor,
        user=contact,
        values={
            "name": f"Name {ATTACK}",
            "short_name": "<b>SN</b>",
            "description": f"Zeile {ATTACK}\nZweite",
            "mission": f"Mission {ATTACK}",
            "city": f"Stadt {ATTACK}"[:100],
            "topics": [f"Thema {ATTACK}"[:100]],
        },
        entries=[{"direction": "offer", "kind": "space", "title": "Eintrag", "text": ATTACK}],
    )


def redaktion():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    return user


def assert_escaped(page: str) -> None:
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>SN</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_the_diff_page_shows_every_proposed_text_escaped(client, proposal):
    client.force_login(redaktion())
    response = client.get(reverse("admin:actors_profileproposal_change", args=[proposal.pk]))
    page = response.content.decode()
    assert_escaped(page)
    assert "Eintrag" in page
    for text in ("Name ", "Zeile ", "Mission ", "Stadt ", "Thema ", "&lt;b&gt;SN&lt;/b&gt;"):
        assert text in page


def test_the_dashboard_shows_the_proposer_escaped(client, proposal):
    client.force_login(redaktion())
    assert_escaped(client.get(reverse("admin:index")).content.decode())


def test_the_contacts_list_shows_the_note_escaped(client, proposal):
    proposal_return(proposal=proposal, reviewer=redaktion(), note=f"Bitte {ATTACK}")
    client.force_login(proposal.proposed_by)
    assert_escaped(client.get(reverse("organisation:list")).content.decode())


def test_the_form_shows_the_proposed_texts_escaped(client, proposal):
    client.force_login(proposal.proposed_by)
    url = reverse("organisation:edit", kwargs={"slug": proposal.actor.slug})
    assert_escaped(client.get(url).content.decode())
