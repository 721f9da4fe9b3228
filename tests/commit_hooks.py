"""What code hands to ``transaction.on_commit`` runs in tests when it would run in production.

A test with database access (``django_db``) runs inside a transaction that is rolled back when
it ends, so Django would never run the callbacks, and no e-mail (``quartier.mail``) would leave.
``django_capture_on_commit_callbacks`` runs them only when its block ends, later than a commit
would. Here a callback runs when the outermost atomic block of the code under test commits, or at
once when it is registered outside one (as in autocommit), and is dropped when that block rolls
back, as Django does. A test may so assert that nothing is sent before a commit, and that a
rollback sends nothing. Transactional tests (``transaction=True``, live servers) commit for real
and are left alone.
"""

import logging

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.transaction import Atomic, get_connection

logger = logging.getLogger("django.db.backends.base")


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


def _run(func, robust: bool) -> None:
    if not robust:
        func()
        return
    try:
        func()
    except Exception as error:
        logger.error(
            "Error calling %s in on_commit() (%s).", func.__qualname__, error, exc_info=True
        )


@pytest.fixture(autouse=True)
def _on_commit_as_in_production(request, monkeypatch):
    uses_db = request.node.get_closest_marker("django_db") or "db" in request.fixturenames
    if not uses_db or _transactional(request):
        yield
        return
    request.getfixturevalue("db")
    connection = connections[DEFAULT_DB_ALIAS]
    # The atomic blocks of the test itself (and of data shared by a module); deeper ones are
    # the code's, and leaving the last of those is the commit.
    test_depth = len(connection.atomic_blocks)
    # Callbacks left by the shared data's set-up are not this test's.
    earlier = len(connection.run_on_commit)
    atomic_exit = Atomic.__exit__
    register = connection.on_commit

    def exit_and_commit(self, exc_type, exc_value, traceback):
        atomic_exit(self, exc_type, exc_value, traceback)
        current = get_connection(self.using)
        if current is connection and len(current.atomic_blocks) == test_depth:
            hooks = current.run_on_commit[earlier:]
            del current.run_on_commit[earlier:]
            if not current.needs_rollback:
                for _savepoints, func, robust in hooks:
                    _run(func, robust)

    def on_commit(func, robust=False):
        if len(connection.atomic_blocks) == test_depth:
            _run(func, robust)
        else:
            register(func, robust)

    monkeypatch.setattr(Atomic, "__exit__", exit_and_commit)
    monkeypatch.setattr(connection, "on_commit", on_commit)
    yield
