from importlib import import_module

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads made by a test land in a temporary folder, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The contact, legal and privacy pages exist in every test database.

    A data migration creates them, but transactional tests (the browser tests) empty every table
    when they end, so a test database kept with --reuse-db would lack them on the next run.
    """
    from django.apps import apps

    create_pages = import_module("quartier.migrations.0002_default_pages").create_pages
    with django_db_blocker.unblock():
        create_pages(apps, None)
