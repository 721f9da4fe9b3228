import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from actors.models import Actor, Sector
from quartier.slugs import german_slugify

from .factories import ActorFactory, SectorFactory

# --- slugs ----------------------------------------------------------------------------------


def test_german_slugify_transliterates_like_a_german_reader_expects():
    assert german_slugify("Kompetenzzentrum Großsiedlungen e.V.") == (
        "kompetenzzentrum-grosssiedlungen-ev"
    )


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Bäckerei Hähnel", "baeckerei-haehnel"),
        ("Ökologische Ölmühle", "oekologische-oelmuehle"),
        ("Über Übermorgen", "ueber-uebermorgen"),
        ("Straße der Fußgänger", "strasse-der-fussgaenger"),
        ("GROẞE STRAẞE", "grosse-strasse"),
        ("Stiftung Großsiedlungen & Bürger", "stiftung-grosssiedlungen-buerger"),
    ],
)
def test_german_slugify_umlauts_and_sharp_s(text, slug):
    assert german_slugify(text) == slug


def test_german_slugify_keeps_to_the_maximum_length():
    assert len(german_slugify("Quartier" * 20)) == 80
    assert german_slugify("Quartier" * 20, max_length=20) == "quartierquartierquar"


def test_german_slugify_never_ends_with_a_dash_when_cut():
    # "wort-wort-wort-wort-wort" cut after 20 characters ends on a dash, which is dropped.
    assert german_slugify("Wort Wort Wort Wort Wort", max_length=20) == "wort-wort-wort-wort"


def test_german_slugify_fits_the_slug_field():
    assert german_slugify("Ä" * 200) == "ae" * 40
    assert len(german_slugify("Ä" * 200)) <= Actor._meta.get_field("slug").max_length


# --- Actor.clean ----------------------------------------------------------------------------


def test_clean_fills_an_empty_slug_from_the_name():
    actor = Actor(name="Bürgerstiftung Göttingen – Großes Haus", slug="")
    actor.clean()
    assert actor.slug == "buergerstiftung-goettingen-grosses-haus"


def test_clean_keeps_a_slug_the_editor_chose():
    actor = Actor(name="Bürgerstiftung Göttingen", slug="bsg")
    actor.clean()
    assert actor.slug == "bsg"


@pytest.mark.django_db
def test_full_clean_accepts_an_empty_slug_and_fills_it_from_the_name():
    """An editor who leaves the address empty (e.g. without JavaScript) gets one from the name."""
    actor = Actor(name="Nachbarschaftshaus Friedenau", slug="", role=Actor.Role.PARTICIPANT)
    actor.full_clean()
    assert actor.slug == "nachbarschaftshaus-friedenau"


def test_clean_requires_alt_text_with_a_logo():
    actor = Actor(name="Stiftung Trias", slug="stiftung-trias", logo="actors/logos/trias.png")
    with pytest.raises(ValidationError) as excinfo:
        actor.clean()
    assert "logo_alt_text" in excinfo.value.message_dict


def test_clean_refuses_blank_alt_text_with_a_logo():
    actor = Actor(
        name="Stiftung Trias",
        slug="stiftung-trias",
        logo="actors/logos/trias.png",
        logo_alt_text="   ",
    )
    with pytest.raises(ValidationError) as excinfo:
        actor.clean()
    assert "logo_alt_text" in excinfo.value.message_dict


def test_clean_accepts_a_logo_with_alt_text_and_no_logo_without():
    Actor(
        name="Stiftung Trias",
        slug="stiftung-trias",
        logo="actors/logos/trias.png",
        logo_alt_text="Schriftzug „Stiftung Trias“",
    ).clean()
    Actor(name="Stiftung Trias", slug="stiftung-trias").clean()


@pytest.mark.django_db
def test_clean_refuses_the_actor_as_its_own_group():
    actor = ActorFactory()
    actor.parent = actor
    with pytest.raises(ValidationError) as excinfo:
        actor.clean()
    assert "parent" in excinfo.value.message_dict


@pytest.mark.django_db
def test_clean_refuses_a_group_that_belongs_to_a_group_itself():
    network = ActorFactory(name="Bundesnetzwerk")
    group = ActorFactory(name="Regionalgruppe", parent=network)
    actor = ActorFactory.build(name="Initiative", parent=group)
    with pytest.raises(ValidationError) as excinfo:
        actor.clean()
    assert "parent" in excinfo.value.message_dict


@pytest.mark.django_db
def test_clean_refuses_to_put_a_group_with_members_into_another_group():
    """Groups are one level deep from either side: a group cannot become a member itself."""
    group = ActorFactory(name="Initiativen des kreativen beruflichen Nachwuchses")
    ActorFactory(name="COI Bernburg", parent=group)
    network = ActorFactory(name="Bundesnetzwerk")
    group.parent = network
    with pytest.raises(ValidationError) as excinfo:
        group.clean()
    assert "parent" in excinfo.value.message_dict


@pytest.mark.django_db
def test_clean_accepts_a_top_level_group():
    group = ActorFactory(name="Initiativen des kreativen beruflichen Nachwuchses")
    member = ActorFactory.build(name="COI Bernburg", slug="coi-bernburg", parent=group)
    member.full_clean()


@pytest.mark.django_db
def test_database_refuses_the_actor_as_its_own_parent():
    actor = ActorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Actor.objects.filter(pk=actor.pk).update(parent=actor)


# --- uniqueness -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_slug_is_unique_in_the_database():
    ActorFactory(name="degewo AG")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorFactory(name="Degewo AG", slug="degewo-ag")


@pytest.mark.django_db
def test_slug_is_unique_in_validation():
    ActorFactory(name="degewo AG")
    actor = Actor(name="Degewo (Duplikat)", slug="degewo-ag", role=Actor.Role.PARTICIPANT)
    with pytest.raises(ValidationError) as excinfo:
        actor.full_clean()
    assert "slug" in excinfo.value.message_dict


@pytest.mark.django_db
def test_sector_slug_and_name_are_unique():
    SectorFactory(name="Stiftungen", slug="stiftungen")
    with pytest.raises(ValidationError) as excinfo:
        Sector(name="Stiftungen", slug="stiftungen").full_clean()
    assert set(excinfo.value.message_dict) >= {"name", "slug"}


# --- display names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "short_name", "shown"),
    [
        (
            "Deutscher Städte- und Gemeindebund",
            "DStGB",
            "Deutscher Städte- und Gemeindebund (DStGB)",
        ),
        ("Bund Deutscher Architekten BDA", "BDA", "Bund Deutscher Architekten BDA"),
        (
            "ZIA Zentraler Immobilien Ausschuss e.V.",
            "zia",
            "ZIA Zentraler Immobilien Ausschuss e.V.",
        ),
        ("degewo AG", "", "degewo AG"),
    ],
)
def test_actor_display_name_adds_the_short_name_where_it_adds_something(name, short_name, shown):
    assert Actor(name=name, short_name=short_name).display_name == shown


def test_sector_display_name_in_english_when_given():
    sector = Sector(name="Stiftungen", name_en="Foundations")
    with translation.override("en"):
        assert sector.display_name == "Foundations"
    with translation.override("de"):
        assert sector.display_name == "Stiftungen"


def test_sector_display_name_falls_back_to_german():
    sector = Sector(name="Handel", name_en="")
    with translation.override("en"):
        assert sector.display_name == "Handel"


# --- queryset verbs -------------------------------------------------------------------------


@pytest.mark.django_db
def test_published_leaves_out_drafts():
    shown = ActorFactory(is_published=True)
    ActorFactory(is_published=False)
    assert list(Actor.objects.published()) == [shown]


@pytest.mark.django_db
def test_participants_leaves_out_who_runs_or_funds_the_initiative():
    participant = ActorFactory(role=Actor.Role.PARTICIPANT)
    for role in (Actor.Role.ORGANISER, Actor.Role.SUPPORT, Actor.Role.FUNDER):
        ActorFactory(role=role)
    assert list(Actor.objects.participants()) == [participant]


@pytest.mark.django_db
def test_for_directory_lists_published_actors_alphabetically_ignoring_case():
    for name in ["HOWOGE", "degewo AG", "Bundesstiftung Baukultur", "alpha e.V."]:
        ActorFactory(name=name)
    ActorFactory(name="Aaa Entwurf", is_published=False)
    assert [actor.name for actor in Actor.objects.for_directory()] == [
        "alpha e.V.",
        "Bundesstiftung Baukultur",
        "degewo AG",
        "HOWOGE",
    ]


@pytest.mark.django_db
def test_for_home_organisers_lists_organisers_then_support_then_funder():
    ActorFactory(name="Aaa Bundesministerium", role=Actor.Role.FUNDER)
    ActorFactory(name="Bbb plan zwei", role=Actor.Role.SUPPORT)
    ActorFactory(name="Zzz STADT ALS CAMPUS", role=Actor.Role.ORGANISER)
    ActorFactory(name="Mmm DV", role=Actor.Role.ORGANISER)
    ActorFactory(name="Ccc Teilnehmer", role=Actor.Role.PARTICIPANT)
    ActorFactory(name="Ddd Entwurf", role=Actor.Role.ORGANISER, is_published=False)
    assert [actor.name for actor in Actor.objects.for_home_organisers()] == [
        "Mmm DV",
        "Zzz STADT ALS CAMPUS",
        "Bbb plan zwei",
        "Aaa Bundesministerium",
    ]


@pytest.mark.django_db
def test_for_home_participants_leaves_out_group_members_and_keeps_the_limit():
    group = ActorFactory(name="Netzwerk Zukunftsorte")
    ActorFactory(name="Mitglied im Netzwerk", parent=group)
    for index in range(5):
        ActorFactory(name=f"Teilnehmer {index}")
    shown = [actor.name for actor in Actor.objects.for_home_participants(limit=3)]
    assert shown == ["Netzwerk Zukunftsorte", "Teilnehmer 0", "Teilnehmer 1"]
