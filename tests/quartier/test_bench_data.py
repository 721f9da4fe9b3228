"""The benchmark's data generator (bench/data.py), run at its tiny scale on the test database."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from taggit.models import TaggedItem

from actors.models import Actor, Sector
from bench.data import SCALES, generate
from events.models import (
    Event,
    EventDocument,
    EventPhoto,
    ProgrammeItem,
    Registration,
    Speaker,
)
from projects.models import Project, ProjectDocument, ProjectPartner, ProjectPhoto

pytestmark = pytest.mark.django_db

TINY = SCALES["tiny"]


VALIDATED = (
    Actor,
    Event,
    ProgrammeItem,
    Speaker,
    EventDocument,
    EventPhoto,
    Project,
    ProjectPartner,
    ProjectDocument,
    ProjectPhoto,
    Registration,
)


@pytest.fixture(scope="module")
def generated(module_db):
    """The counts ``generate()`` reported, for a database that held nothing else.

    With them, under "invalid", what full_clean found wrong with a sample of each model, and
    under "missing files" the shared files not found: checked here, where the module's files
    are (full_clean reads a photo's image; each test has media folders of its own).
    """
    with module_db():
        counts = generate("tiny", out=io.StringIO())
        invalid = {}
        for model in VALIDATED:
            sample = list(model.objects.order_by("?")[:5])
            invalid[model.__name__] = [] if sample else ["no rows"]
            for row in sample:
                try:
                    row.full_clean()
                except ValidationError as error:
                    invalid[model.__name__].append(f"{row.pk}: {error}")
        photo, document = EventPhoto.objects.first(), EventDocument.objects.first()
        missing = [
            file.name
            for file in (photo.image, photo.thumbnail, photo.display, document.file)
            if not file.storage.exists(file.name)
        ]
        yield {**counts, "invalid": invalid, "missing files": missing}


def test_it_makes_what_the_scale_asks_for(generated):
    assert Actor.objects.count() == generated["actors"] == TINY.actors
    assert Event.objects.count() == generated["events"] == TINY.events
    assert Project.objects.count() == generated["projects"] == TINY.projects
    assert Registration.objects.count() == generated["registrations"] == TINY.registrations
    files = (
        EventDocument.objects.count()
        + EventPhoto.objects.count()
        + ProjectDocument.objects.count()
        + ProjectPhoto.objects.count()
    )
    assert files == TINY.documents_and_photos
    # An empty database gets the demo's sectors.
    assert Sector.objects.filter(slug="wohnungswirtschaft").exists()


def test_everything_has_what_its_pages_show(generated):
    assert ProgrammeItem.objects.count() == generated["programme_items"] > TINY.events
    assert Speaker.objects.count() == generated["speakers"] > 0
    assert ProjectPartner.objects.count() == generated["partners"] >= TINY.projects
    assert TaggedItem.objects.filter(object_id__in=Actor.objects.values("pk")).exists()
    assert Event.objects.filter(organisers__isnull=False).distinct().count() == TINY.events
    members = Actor.objects.filter(parent__isnull=False)
    assert members.exists()
    # Groups are one level deep.
    assert not members.filter(parent__parent__isnull=False).exists()


def test_most_is_published_some_is_not(generated):
    published = (
        Actor.objects.published().count()
        + Event.objects.published().count()
        + Project.objects.published().count()
    )
    total = TINY.actors + TINY.events + TINY.projects
    assert 0.8 * total < published < total


def test_some_places_for_the_map(generated):
    assert Project.objects.with_location().exists() or Actor.objects.with_location().exists()


def test_quartier_is_in_some_descriptions_not_all(generated):
    with_word = Actor.objects.filter(description__contains="Quartier").count()
    assert 0 < with_word < TINY.actors


def test_the_rows_are_valid_for_the_models(generated):
    """What the admin's forms would accept: each model's full_clean on a sample."""
    assert set(generated["invalid"]) == {model.__name__ for model in VALIDATED}
    assert not any(generated["invalid"].values()), generated["invalid"]


def test_files_are_stored_once_and_shared(generated):
    for model in (EventPhoto, ProjectPhoto):
        assert model.objects.values("image").distinct().count() == 1
        assert model.objects.values("thumbnail").distinct().count() == 1
    for model in (EventDocument, ProjectDocument):
        assert model.objects.values("file").distinct().count() == 1


def test_the_shared_files_exist(generated):
    assert generated["missing files"] == []
    # Every row stores the gallery variant's size: none opens its file when it is loaded.
    for model in (EventPhoto, ProjectPhoto):
        assert not model.objects.filter(thumbnail_width__isnull=True).exists()


def test_the_directory_lists_generated_actors(generated):
    response = Client().get("/akteure/")
    assert response.status_code == 200
    first = Actor.objects.for_directory().first()
    assert first.name in response.content.decode()


def test_a_generated_actor_has_a_page_a_draft_has_none(generated):
    client = Client()
    published = Actor.objects.published().order_by("pk").last()
    assert client.get(published.get_absolute_url()).status_code == 200
    draft = Actor.objects.drafts().first()
    if draft is not None:
        assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_documented_event_shows_its_programme_and_photos(generated):
    event = (
        Event.objects.documented()
        .filter(programme_items__speakers__isnull=False, photos__isnull=False)
        .first()
    )
    response = Client().get(event.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    item = event.programme_items.filter(speakers__isnull=False).first()
    assert item.title in page
    assert item.speakers.first().name in page
    assert event.photos.showable().first().thumbnail.url in page


def test_a_project_page_names_its_partners(generated):
    project = Project.objects.published().filter(partnerships__actor__is_published=True).first()
    response = Client().get(project.get_absolute_url())
    assert response.status_code == 200
    partner = project.partnerships.filter(actor__is_published=True).first().actor
    assert partner.name in response.content.decode()


def test_the_search_finds_generated_actors(generated):
    actor = Actor.objects.published().filter(description__contains="Quartier").first()
    response = Client().get("/suche/", {"q": actor.name})
    found = [hit.obj for group in response.context["search"].groups for hit in group.hits]
    assert actor in found
    response = Client().get("/suche/", {"q": "quartier"})
    assert response.context["search"].total > 0


def test_the_same_seed_gives_the_same_data(db):
    def names(seed):
        with transaction.atomic():
            generate("tiny", seed=seed, out=io.StringIO())
            made = sorted(Actor.objects.values_list("name", flat=True))
            transaction.set_rollback(True)
        return made

    assert names(3) == names(3)
    assert names(3) != names(4)
