import io
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from tests.html import find_elements, option_labels

pytest_plugins = ["tests.commit_hooks"]


def _empties_tables(item) -> bool:
    """Whether the test is transactional: a live server's, or ``django_db(transaction=True)``."""
    if "live_server" in getattr(item, "fixturenames", ()):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction", marker.args[0] if marker.args else False))


# Set once a transactional test has emptied the tables in this process.
_tables_emptied = {"in this process": False}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests go last, those that run against a live server among them.

    They empty every table when they end, data migrations' rows included; the other tests rely
    on those rows. pytest-django orders tests like this too, but other plugins' collection hooks
    may reorder after it.
    """
    items.sort(key=_empties_tables)


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked ``postgres_only`` need PostgreSQL (e.g. its German full-text search).

    CI runs the whole suite on SQLite and again on PostgreSQL, so on SQLite they are left to
    the second run; nothing is hidden.
    """
    if request.node.get_closest_marker("postgres_only"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL; runs in the PostgreSQL pass of `make test`")


SMALL_DEMO_PHOTO_SIZE = (320, 200)


@pytest.fixture(autouse=True)
def _small_demo_photos(monkeypatch):
    """The demo's pictures at full size take a second a run; tests need few pixels."""
    from events import demo

    monkeypatch.setattr(demo, "PHOTO_SIZE", SMALL_DEMO_PHOTO_SIZE)


@pytest.fixture(autouse=True)
def _german_by_default():
    """Every test starts on the German site, as a visitor of "/" does.

    A request to an English page leaves English active in the thread; without this, ``reverse()``
    in the next test would give "/en/..." addresses.
    """
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no rate-limit counters, no pages or facets.

    A test's changes are rolled back, and with them the new content versions they made
    (quartier/content_version.py): what was cached under them would be found by the next test.
    Nor does a test inherit the new version still pending in the transaction of data shared by
    its module, which is rolled back and never made.
    """
    from django.db import connections

    from quartier.content_version import PENDING_ATTRIBUTE

    for connection in connections.all(initialized_only=True):
        connection.__dict__.pop(PENDING_ATTRIBUTE, None)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Queued tasks run at once, in the test's own process (django-tasks' immediate backend).

    An e-mail is then still rendered when it is queued, after the commit, and passed to the
    task ``quartier.tasks.send_email`` as JSON, but lands in ``mail.outbox`` without a worker.
    tests/quartier/test_mail_queue.py uses the database queue and its worker, as the portal does.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def admin_user(db):
    """pytest-django's superuser ("admin", password "password"), as the admin demands staff:
    with a verified e-mail address and a second factor (TOTP with ``tests.factories.TOTP_SECRET``).

    ``admin_client`` is logged in as this user.
    """
    from tests.factories import UserFactory

    return UserFactory(
        username="admin",
        email="admin@example.com",
        password="password",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def find():
    """``find(response, "a", hreflang="en")``: the elements of a page with that tag."""
    return find_elements


@pytest.fixture
def options():
    """``options(response, "sector")``: the option labels of a filter, e.g. "Stiftungen (3)"."""
    return option_labels


def _media_settings(root: Path) -> dict:
    """Settings that put uploads (public media, protected documents, originals) under ``root``."""
    return {
        "MEDIA_ROOT": root / "media",
        "STORAGES": {
            **settings.STORAGES,
            "documents": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": root / "documents", "base_url": None},
            },
            "photo_originals": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": root / "originals", "base_url": None},
            },
        },
    }


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    """Uploads made by a test land in temporary folders, never in the project's media folders.

    Tests on the demo data keep the folders its files were written to (see ``demo_db``).
    """
    if "demo_db" in request.fixturenames:
        return
    for name, value in _media_settings(tmp_path).items():
        setattr(settings, name, value)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """``with module_db():`` gives a module-scoped fixture the test database.

    For data that many tests only read, built once: everything written in the block is rolled
    back when it ends, and uploads land in a folder of the module's own. Like a test, the block
    starts on the German site and leaves the language as it found it.
    """

    @contextmanager
    def block():
        media = tmp_path_factory.mktemp("module")
        with (
            translation.override(settings.LANGUAGE_CODE),
            override_settings(**_media_settings(media)),
            django_db_blocker.unblock(),
            transaction.atomic(),
        ):
            if _tables_emptied["in this process"]:
                _create_default_pages()
            yield
            transaction.set_rollback(True)

    return block


@pytest.fixture(scope="module")
def demo_db(module_db):
    """The demo data of `make run`, loaded once for all tests of a module that ask for it; its
    value is what the command printed.

    It is loaded in a transaction that stays open while the module's tests run, each in a
    savepoint of its own (``django_db``), and is rolled back after the last one: a test may
    change the data, and the next one still finds the demo as loaded. Transactional tests
    (``transaction=True``, live servers) empty the tables and cannot use it.
    """
    from events import demo as events_demo

    with module_db(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(events_demo, "PHOTO_SIZE", SMALL_DEMO_PHOTO_SIZE)
        output = io.StringIO()
        call_command("load_demo", stdout=output)
        yield output.getvalue()


def _create_default_pages() -> None:
    """The contact, legal and privacy pages, the staff's roles with their permissions and the
    event formats, as the data migrations create them (idempotent)."""
    from django.apps import apps

    from quartier.roles import roles_update

    import_module("quartier.migrations.0002_default_pages").create_pages(apps, None)
    import_module("quartier.migrations.0004_privacy_notice_taking_part").add_section(apps, None)
    import_module("events.migrations.0011_event_formats").create_formats(apps)
    roles_update(apps)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The contact, legal and privacy pages exist in every test database.

    A data migration creates them, but transactional tests (the browser tests) empty every table
    when they end, so a test database kept with --reuse-db would lack them on the next run.
    """
    with django_db_blocker.unblock():
        _create_default_pages()


@pytest.fixture(autouse=True)
def _default_pages_after_a_transactional_test(request):
    """The pages, roles and formats are there again for the tests that follow a transactional
    one in a process, transactional or not.

    Transactional tests go last (see pytest_collection_modifyitems), but pytest-xdist keeps a
    file's tests together, so a file that has some runs them among the others.
    """
    if _empties_tables(request.node):
        if _tables_emptied["in this process"]:
            # An earlier transactional test emptied them: this one starts, like the first one,
            # with the rows the data migrations make (pages, roles, event formats).
            request.getfixturevalue("transactional_db")
            _create_default_pages()
        _tables_emptied["in this process"] = True
    elif _tables_emptied["in this process"] and (
        request.node.get_closest_marker("django_db") or "db" in request.fixturenames
    ):
        request.getfixturevalue("db")
        _create_default_pages()


@pytest.fixture
def mail_server_down(settings):
    """The SMTP backend pointed at a port where nothing listens: every e-mail is refused."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
