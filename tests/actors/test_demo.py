from io import StringIO

import pytest
from django.core.management import call_command

from actors.demo import APPLICATION_EXAMPLE, CREATIVE_YOUTH_GROUP, DRAFT_EXAMPLE
from actors.models import Actor, Application, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def load_demo():
    def run() -> str:
        out = StringIO()
        call_command("load_demo", stdout=out)
        return out.getvalue()

    return run


def test_loads_sectors_and_actors(demo_db):
    output = demo_db
    assert Sector.objects.count() == 8
    assert Actor.objects.count() == 37
    assert Actor.objects.published().count() == 36
    assert "8 sectors, 37 actors" in output


def test_running_twice_changes_nothing(demo_db, load_demo):
    before = sorted(Actor.objects.values_list("slug", "name", "parent__slug", "sector__slug"))
    load_demo()
    assert Sector.objects.count() == 8
    assert Actor.objects.count() == 37
    after = sorted(Actor.objects.values_list("slug", "name", "parent__slug", "sector__slug"))
    assert after == before
    assert Application.objects.count() == 1


def test_who_runs_the_initiative(demo_db):
    runners = Actor.objects.for_home_organisers()
    assert [(actor.short_name or actor.name)[:16] for actor in runners] == [
        "DV",
        "STADT ALS CAMPUS",
        "planzwei",
        "BMI / BBSR",
    ]


def test_creative_youth_initiatives_belong_to_their_group(demo_db):
    group = Actor.objects.get(name=CREATIVE_YOUTH_GROUP)
    assert group.parent is None
    assert sorted(group.members.values_list("name", flat=True)) == [
        "COI Bernburg",
        "Stadtlücken Stuttgart",
        "kaz – Göttinger Kommunikations- und Aktionszentrum e.V.",
        "schrill Braunschweig",
    ]
    # Nobody else is in a group: groups are one level deep.
    assert Actor.objects.filter(parent__isnull=False).count() == 4


def test_demo_data_passes_validation(demo_db):
    for actor in Actor.objects.select_related("parent"):
        actor.full_clean()


def test_degewo_has_a_readable_address(client, demo_db):
    degewo = Actor.objects.get(name="degewo AG")
    assert degewo.slug == "degewo-ag"
    response = client.get("/akteure/degewo-ag/")
    assert response.status_code == 200
    assert response.context["actor"] == degewo


def test_slugs_are_transliterated(demo_db):
    assert Actor.objects.filter(slug="kompetenzzentrum-grosssiedlungen-ev").exists()
    assert Actor.objects.filter(slug="neues-junges-theater-goettingen-gmbh").exists()


def test_directory_shows_the_demo_data(client, demo_db):
    response = client.get("/akteure/", {"sector": "stiftungen"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 5


def test_staff_edits_survive_a_second_run(demo_db, load_demo):
    degewo = Actor.objects.get(slug="degewo-ag")
    degewo.description = "Von der Redaktion geschrieben."
    degewo.city = "Berlin-Mitte"
    degewo.save()
    hidden = Actor.objects.get(slug="howoge")
    hidden.is_published = False
    hidden.save()
    sector = Sector.objects.get(slug="stiftungen")
    sector.name_en = "Charitable foundations"
    sector.save()

    load_demo()

    degewo.refresh_from_db()
    assert degewo.description == "Von der Redaktion geschrieben."
    assert degewo.city == "Berlin-Mitte"
    assert not Actor.objects.get(slug="howoge").is_published
    assert Sector.objects.get(slug="stiftungen").name_en == "Charitable foundations"


def test_staff_can_shorten_an_address_without_the_demo_duplicating_the_actor(demo_db, load_demo):
    Actor.objects.filter(slug="degewo-ag").update(slug="degewo")
    load_demo()
    assert Actor.objects.count() == 37
    assert list(Actor.objects.filter(name="degewo AG").values_list("slug", flat=True)) == ["degewo"]


def test_staff_can_change_a_sector_address_and_run_the_demo_again(demo_db, load_demo):
    Sector.objects.filter(slug="kultur-kreativwirtschaft").update(slug="kultur")
    load_demo()
    assert Sector.objects.count() == 8
    assert Actor.objects.count() == 37


def test_staff_find_an_application_awaiting_review_and_a_draft(demo_db):
    """The admin's start page has open items to show; both are plainly examples."""
    [application] = Application.objects.awaiting_review()
    assert application.organisation_name == APPLICATION_EXAMPLE["organisation_name"]
    assert application.organisation_name.startswith("Beispiel:")
    assert application.email.endswith("@example.org")
    assert application.confirmed_at is not None
    application.full_clean()
    [draft] = Actor.objects.drafts()
    assert draft.name == DRAFT_EXAMPLE["name"]
    assert draft.name.startswith("Beispiel:")


def test_a_decided_example_application_is_not_sent_again(demo_db, load_demo):
    Application.objects.update(status=Application.Status.REJECTED)
    load_demo()
    assert Application.objects.count() == 1
    assert not Application.objects.awaiting_review().exists()


def test_every_published_actor_has_a_few_topics_and_the_directory_offers_them(
    client, demo_db, load_demo, options
):
    for actor in Actor.objects.published().prefetch_related("topics"):
        assert 1 <= len(actor.topics.all()) <= 2, actor.name
    topics = options(client.get("/akteure/"), "topic")
    assert "Wohnungswirtschaft (7)" in topics  # five of the sector, two planners
    assert "Kreativwirtschaft (9)" in topics
    # Topics staff changed stay as they are on a second run.
    degewo = Actor.objects.get(name="degewo AG")
    degewo.topics.set(["Quartiersmanagement"])
    load_demo()
    assert list(degewo.topics.names()) == ["Quartiersmanagement"]
    assert sorted(Actor.objects.get(name="HOWOGE").topics.names()) == ["Wohnungswirtschaft"]
