"""Logos of draft actors cannot be fetched before the actor is published.

A logo is public under MEDIA_URL, in a folder of 32 random hexadecimal digits; before
publication its address appears on no public page, so nobody outside the staff can know it.
"""

import io
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from PIL import Image
from pytest_django.asserts import assertContains

from actors.models import Actor

from .factories import ActorFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/akteure/",
    "/en/akteure/",
    "/bildnachweise/",
    "/en/bildnachweise/",
    "/suche/?q=Trias",
    "/sitemap.xml",
]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "darkgreen").save(buffer, format="PNG")
    return buffer.getvalue()


def with_logo(**fields) -> Actor:
    return ActorFactory(
        name="Stiftung Trias",
        logo=ContentFile(png_bytes(), name="Stiftung Trias.png"),
        logo_alt_text="Schriftzug der Stiftung Trias",
        **fields,
    )


def test_a_logo_is_stored_under_a_name_nobody_can_guess():
    first, second = with_logo(slug="trias"), with_logo(slug="trias-2")
    for actor in (first, second):
        assert re.fullmatch(r"actors/actor/[0-9a-f]{32}/stiftung-trias\.png", actor.logo.name)
    assert first.logo.name != second.logo.name


def test_the_logo_of_a_draft_is_linked_from_no_public_page(staff_client):
    client = Client()  # staff_client is logged in
    draft = with_logo(is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert draft.logo.name not in response.content.decode(), path
    # Staff see it in the preview of the draft.
    assertContains(staff_client.get(draft.get_absolute_url()), draft.logo.url)
    # Once published, the profile shows it.
    draft.is_published = True
    draft.save()
    assertContains(client.get(draft.get_absolute_url()), f'src="{draft.logo.url}"')


def test_logos_stored_under_guessable_names_before_get_random_folders(settings):
    """What the data migration does with the logos uploaded so far."""
    storage = storages["default"]
    old = storage.save("actors/logos/trias.png", ContentFile(png_bytes()))
    actor = ActorFactory(logo=old, logo_alt_text="Schriftzug")
    without = ActorFactory()
    missing = ActorFactory(logo="actors/logos/verloren.png", logo_alt_text="Schriftzug")

    migration = import_module("actors.migrations.0005_logos_in_random_folders")
    migration.logos_into_random_folders(apps, None)
    actor.refresh_from_db()
    assert re.fullmatch(r"actors/actor/[0-9a-f]{32}/trias\.png", actor.logo.name)
    with actor.logo.open("rb") as file:
        assert file.read() == png_bytes()
    assert not storage.exists(old)
    without.refresh_from_db()
    missing.refresh_from_db()
    assert without.logo.name == ""
    assert missing.logo.name == "actors/logos/verloren.png"  # no file to move
