"""The embedded SQLite database lets two writes that meet wait for each other.

Seen in the admin while a form was being sent: two requests that each read and then write in
one transaction, the second answered "database is locked" with a server error. The test
database of the suite lives in memory, where none of this applies, so these tests open a
database file of their own through Django's connections, configured as the settings configure
the portal's.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

ALIAS = "concurrent_writes"
WRITERS = 6

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the portal runs on SQLite here; PostgreSQL waits for row locks by itself",
)


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """``database(options)``: the alias of a SQLite file with these OPTIONS, with one table."""

    def configure(options: dict) -> str:
        connections.settings[ALIAS] = {
            **connections.settings["default"],
            "NAME": str(tmp_path / "portal.sqlite3"),
            "OPTIONS": options,
            "TEST": {},
        }
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, writer INTEGER)")
        connections[ALIAS].close()
        return ALIAS

    with django_db_blocker.unblock():
        yield configure
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def write_at_once(alias: str) -> list[Exception]:
    """Let WRITERS threads read and then write in one transaction each, all at the same time.

    This is what a form sent in the admin does (read the object, save it). Returns the errors.
    """
    start = threading.Barrier(WRITERS)
    errors = []

    def write(number: int) -> None:
        try:
            start.wait()
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM visit")
                time.sleep(0.05)  # the others read meanwhile
                cursor.execute("INSERT INTO visit (writer) VALUES (%s)", [number])
        except OperationalError as error:
            errors.append(error)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=write, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def visits(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visit")
        return cursor.fetchone()[0]


def test_writes_that_meet_wait_for_each_other(database):
    alias = database(settings.DATABASES["default"]["OPTIONS"])
    assert write_at_once(alias) == []
    assert visits(alias) == WRITERS
    with connections[alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_without_these_options_the_same_writes_fail(database):
    """What the settings prevent: Django's defaults answer "database is locked"."""
    alias = database({})
    errors = write_at_once(alias)
    assert errors
    assert all("database is locked" in str(error) for error in errors)
    assert visits(alias) == WRITERS - len(errors)
