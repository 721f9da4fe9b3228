"""The demo's offers and needs (actors/demo_offers.py): on real demo actors, marked as examples,
loaded once however often `load_demo` runs, and showing matches on the actor pages."""

from io import StringIO

import pytest
from django.core.management import call_command

from actors import demo_offers
from actors.demo import PARTICIPANTS
from actors.models import Actor, OfferOrNeed
from actors.offers import actor_page_offers

pytestmark = pytest.mark.django_db


def test_the_entries_belong_to_actors_of_the_demo_and_say_they_are_examples(demo_db):
    participants = {name for name, *_rest in PARTICIPANTS}
    entries = list(OfferOrNeed.objects.select_related("actor"))
    assert len(entries) == len(demo_offers.ENTRIES)
    assert "Offers and needs: 11 examples" in demo_db
    for entry in entries:
        assert entry.actor.name in participants
        assert entry.title.startswith("Beispiel:")
        assert "Beispieleintrag" in entry.text
        assert entry.topic is not None


def test_one_entry_waits_for_staff(demo_db):
    (draft,) = OfferOrNeed.objects.drafts()
    assert draft.actor.name == "Bundesverband Soziokultur e.V."
    assert not OfferOrNeed.objects.published().filter(pk=draft.pk).exists()


def test_running_twice_changes_nothing(demo_db):
    before = sorted(OfferOrNeed.objects.values_list("pk", "actor__name", "title", "is_published"))
    call_command("load_demo", stdout=StringIO())
    after = sorted(OfferOrNeed.objects.values_list("pk", "actor__name", "title", "is_published"))
    assert after == before


def test_what_staff_changed_stays(demo_db):
    entry = OfferOrNeed.objects.get(title="Beispiel: Räume für Werkstattgespräche")
    OfferOrNeed.objects.filter(pk=entry.pk).update(text="Von der Redaktion geändert.")
    demo_offers.load()
    entry.refresh_from_db()
    assert entry.text == "Von der Redaktion geändert."


def test_the_demo_shows_matches_both_ways(demo_db):
    degewo = Actor.objects.prefetch_related("topics").get(name="degewo AG")
    context = actor_page_offers(degewo)
    reasons = {match.actor.name: match.reasons for match in context["matches"]}
    # Who helps with its festival, and who seeks the rooms it offers.
    assert (
        "bietet Ehrenamtliche, Thema Nachbarschaft"
        in reasons["kaz – Göttinger Kommunikations- und Aktionszentrum e.V."]
    )
    assert "sucht Räume, Thema Leerstand" in reasons["Stadtlücken Stuttgart"]
