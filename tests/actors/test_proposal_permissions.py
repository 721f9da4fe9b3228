"""Every URL of the contacts' pages answers 404 to anyone who is not a contact of the actor in
the address, whatever slug they try; the list is each account's own. No GET changes anything."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import ActorContact, ProfileProposal
from actors.proposals import proposal_save
from tests.actors.factories import ActorFactory, OfferOrNeedFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["organisation:edit", "organisation:leave", "organisation:withdraw"]


@pytest.fixture
def world():
    actor = ActorFactory(name="Verein am Markt", is_published=False)
    other = ActorFactory(name="Anderer Verein")
    contact = UserFactory()
    ActorContact.objects.create(actor=actor, user=contact, source=ActorContact.Source.STAFF)
    other_contact = UserFactory()
    ActorContact.objects.create(actor=other, user=other_contact, source=ActorContact.Source.STAFF)
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    proposal_save(actor=actor, user=contact, values={"city": "Bremen"})
    return {
        "actor": actor,
        "other": other,
        "users": {
            "anonymous": None,
            "another account": UserFactory(),
            "contact of another actor": other_contact,
            "contact": contact,
            "redaktion": editor,
        },
    }


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


GUESSED_SLUGS = ["verein-am-markt", "gibt-es-nicht", "1", "anderer-verein"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    "who", ["anonymous", "another account", "contact of another actor", "contact", "redaktion"]
)
def test_only_the_contact_reaches_the_pages_of_their_actor(client, world, who, name):
    client = client_for(client, world["users"][who])
    before = ProfileProposal.objects.values_list("pk", "status", "values").get()
    for slug in GUESSED_SLUGS:
        response = client.get(reverse(name, kwargs={"slug": slug}))
        if who == "contact" and slug == "verein-am-markt":
            expected = 405 if name == "organisation:withdraw" else 200
        elif who == "contact of another actor" and slug == "anderer-verein":
            expected = 405 if name == "organisation:withdraw" else 200
        else:
            expected = 404
        assert response.status_code == expected, (who, name, slug)
    # And POST: nothing is changed for anyone but a contact.
    response = client.post(
        reverse(name, kwargs={"slug": "verein-am-markt"}), {"name": "Übernommen", "city": "X"}
    )
    if who != "contact":
        assert response.status_code == 404
        assert ProfileProposal.objects.values_list("pk", "status", "values").get() == before
        assert ActorContact.objects.filter(actor=world["actor"]).count() == 1
    # No GET wrote anything.
    assert ProfileProposal.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["anonymous", "another account", "contact of another actor", "contact", "redaktion"]
)
def test_the_list_is_for_every_account_and_shows_only_their_own(client, world, who):
    response = client_for(client, world["users"][who]).get(reverse("organisation:list"))
    if who == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
        return
    page = response.content.decode()
    assert response.status_code == 200
    assert ("Verein am Markt" in page) == (who == "contact")
    assert ("Anderer Verein" in page) == (who == "contact of another actor")


@pytest.mark.parametrize("who", ["anonymous", "another account", "contact of another actor"])
def test_the_admin_of_proposals_is_for_staff(client, world, who):
    proposal = ProfileProposal.objects.get()
    client = client_for(client, world["users"][who])
    for url in (
        reverse("admin:actors_profileproposal_changelist"),
        reverse("admin:actors_profileproposal_change", args=[proposal.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    decide = reverse("admin:actors_profileproposal_decide", args=[proposal.pk])
    client.post(decide, {"_accept": "1"})
    assert ProfileProposal.objects.get().is_pending


# --- bounded queries ----------------------------------------------------------------------------


def populate(user, count: int) -> None:
    for n in range(count):
        actor = ActorFactory(topics=["Wohnen", "Kultur"])
        ActorContact.objects.create(actor=actor, user=user, source=ActorContact.Source.STAFF)
        if n % 2:
            proposal_save(actor=actor, user=user, values={"city": f"Stadt {n}"})
        else:
            ProfileProposal.objects.create(
                actor=actor,
                values={"city": "Alt"},
                based_on=actor.updated_at,
                status=ProfileProposal.Status.RETURNED,
                staff_note="Bitte prüfen",
            )
            proposal_save(actor=actor, user=user, values={"city": f"Stadt {n}"})
            ProfileProposal.objects.filter(actor=actor).pending().update(
                status=ProfileProposal.Status.ACCEPTED
            )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_as_many_queries_for_many_organisations_as_for_few(client):
    user = UserFactory()
    client.force_login(user)
    counts, made = [], 0
    for size in (2, 20):
        populate(user, size - made)
        made = size
        counts.append(count_queries(client, reverse("organisation:list")))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8


def test_the_form_costs_as_many_queries_for_a_long_profile_as_for_a_short_one(client):
    user = UserFactory()
    client.force_login(user)
    actor = ActorFactory(topics=["Wohnen"])
    ActorContact.objects.create(actor=actor, user=user, source=ActorContact.Source.STAFF)
    url = reverse("organisation:edit", kwargs={"slug": actor.slug})
    counts = [count_queries(client, url)]
    actor.topics.add(*[f"Thema {n}" for n in range(19)])
    for n in range(15):
        OfferOrNeedFactory(actor=actor, title=f"Angebot {n}")
    populate(user, 10)  # other organisations and their proposals
    proposal_save(actor=actor, user=user, values={"city": "Neu"})
    counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts  # the pending proposal or none: the same query
    assert counts[1] <= 8


def test_the_review_page_costs_as_many_queries_for_many_topics_as_for_few(client):
    editor = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    counts = []
    for size in (2, 20):
        actor = ActorFactory(topics=[f"Thema {n}" for n in range(size)])
        contact = UserFactory()
        ActorContact.objects.create(actor=actor, user=contact, source=ActorContact.Source.STAFF)
        proposal = proposal_save(
            actor=actor,
            user=contact,
            values={"topics": [f"Neu {n}" for n in range(size)], "description": "x\n" * size},
            entries=[
                {"direction": "offer", "kind": "space", "title": f"Raum {n}", "text": ""}
                for n in range(size)
            ]
            + [
                {**_entry(entry), "title": f"{entry.title} neu"}
                for entry in [OfferOrNeedFactory(actor=actor) for _ in range(size)]
            ],
        )
        counts.append(
            count_queries(
                client, reverse("admin:actors_profileproposal_change", args=[proposal.pk])
            )
        )
    assert counts[0] == counts[1], counts


def _entry(entry) -> dict:
    return {
        "id": entry.pk,
        "direction": entry.direction,
        "kind": entry.kind,
        "title": entry.title,
        "text": entry.text,
    }
