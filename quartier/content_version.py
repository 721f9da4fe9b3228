"""One version number for everything the public pages show, so that nothing cached goes stale.

Whatever a public page shows (actors, events with their programme and photos, projects, pages,
topics …) changes only through a save, a delete, a change of a many-to-many relation, or one of
the few bulk updates the querysets make. Each of them calls ``content_changed()`` (the model
signals are connected by ``connect_signals()`` in ``QuartierConfig.ready``; bulk updates call it
themselves, and every ``migrate`` does for the data migrations), which gives the content a new
version once the transaction commits. Everything cached for the public is stored under the
version it was made from (``cached_for_content``, the page cache): a new version makes every
such entry unreachable at once, and the cache drops them when they expire.

A new version only after the commit: a request that reads the old rows while a change is still
uncommitted stores its result under the old version, which the commit then leaves behind. And
the version is read before the rows (the page cache reads it first thing): a result is never
older than the version it is stored under.

Where the version lives: every process must see a new one at once. A cache the processes share
(Redis, a database cache) keeps it; a cache in each process's memory (the default) cannot, as a
gunicorn worker would go on serving what it had cached after another worker saved a change, so
the version is then a row in the database (``ContentVersion``), read once per request.
"""

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "portal:content-version"

# Nothing a public page shows: sessions, the admin's change log, permissions and accounts (a
# login updates last_login), e-mail addresses and second factors, version histories (reverting
# saves the objects themselves, which counts). Everything else counts, the models of an app
# added later included: a model forgotten here costs a needless new version, one forgotten in
# a list of what counts would leave pages stale.
UNSHOWN_APPS = {"admin", "auth", "contenttypes", "sessions", "account", "mfa", "reversion"}
UNSHOWN_MODELS = {"quartier.ContentVersion"}

# Attribute of a database connection: the new version its transaction will make on commit.
PENDING_ATTRIBUTE = "_content_version_pending"

T = TypeVar("T")

# The version a request has read, so that all it caches is stored under one version, read
# before anything else (see request_scope).
_request_version: ContextVar[dict | None] = ContextVar("content_version_of_request", default=None)


class ContentVersionUnknown(Exception):  # noqa: N818 - a state, not an error of the caller
    """The cache that holds the version does not answer: nothing may be cached or served."""


def version_in_database() -> bool:
    """Whether the version lives in the database: when each process has a cache of its own."""
    return isinstance(caches["default"], LocMemCache | DummyCache)


def _read_version() -> str:
    if version_in_database():
        from quartier.models import ContentVersion

        return ContentVersion.current()
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or the cache lost it: any new value will do, as long as all agree on it.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    if version is None:
        raise ContentVersionUnknown
    return version


def content_version() -> str:
    """The current version of the public content; a new one after every change.

    Raises ``ContentVersionUnknown`` when the cache that holds it does not answer.
    """
    scope = _request_version.get()
    if scope is not None and "version" in scope:
        return scope["version"]
    version = _read_version()
    if scope is not None:
        scope["version"] = version
    return version


@contextlib.contextmanager
def request_scope() -> Iterator[None]:
    """Within the block (a request), the version is read once, at its first use."""
    token = _request_version.set({})
    try:
        yield
    finally:
        _request_version.reset(token)


def _new_version() -> None:
    version = uuid.uuid4().hex
    try:
        if version_in_database():
            from quartier.models import ContentVersion

            ContentVersion.store(version)
        else:
            cache.set(VERSION_KEY, version, timeout=None)
    except Exception:
        # The cache is down: it serves nothing until it is back (or, should only writes fail,
        # its entries expire after PAGE_CACHE_SECONDS).
        logger.exception("Could not store a new content version")
    scope = _request_version.get()
    if scope is not None:
        # The rest of the request that made the change reads the new version.
        scope.pop("version", None)


def content_changed(*, using: str | None = None) -> None:
    """Something the public may see changed: from the commit on, nothing cached before counts.

    One new version per transaction, however many rows it changes (an import, an event saved
    with its programme and photos).
    """
    connection = transaction.get_connection(using)
    pending = getattr(connection, PENDING_ATTRIBUTE, None)
    if (
        pending is not None
        and connection.in_atomic_block
        and any(hook is pending for _savepoints, hook, _robust in connection.run_on_commit)
    ):
        # Registered in this transaction, in a savepoint that is still open (or none): it runs
        # whenever a callback registered now would.
        return

    def new_version() -> None:
        _new_version()

    setattr(connection, PENDING_ATTRIBUTE, new_version)
    transaction.on_commit(new_version, using=using, robust=True)


def changed_in_bulk(count: int) -> int:
    """For a queryset's ``update()`` of a model the public may see, which sends no signal:
    ``changed_in_bulk(queryset.update(...))`` returns the number of rows updated."""
    if count:
        content_changed()
    return count


def cached_for_content(key: str, compute: Callable[[], T], *, timeout: int | None = 3600) -> T:
    """``compute()``, made once per content version and kept in the cache.

    For what is costly to compute and depends on nothing but the public content (facet counts,
    the places on a map): the same for every visitor until something changes. Kept per
    language, as what is computed may hold translated labels. A cache that does not answer
    costs the computation, never an error.
    """
    try:
        full_key = f"portal:content:{content_version()}:{get_language() or ''}:{key}"
        value = cache.get(full_key)
    except ContentVersionUnknown:
        return compute()
    except Exception:
        logger.warning("The cache does not answer; %s is computed", key, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(full_key, value, timeout=timeout)
        except Exception:
            logger.warning("The cache does not answer; %s is not kept", key, exc_info=True)
    return value


# --- What counts as a change ---------------------------------------------------------------


def shown_to_the_public(model) -> bool:
    """Whether rows of ``model`` may appear on a public page (see UNSHOWN_APPS)."""
    return model._meta.app_label not in UNSHOWN_APPS and model._meta.label not in UNSHOWN_MODELS


def _saved_or_deleted(sender, using=None, **kwargs) -> None:
    content_changed(using=using)


def _relation_changed(sender, action, using=None, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed(using=using)


def _migrated(sender, using=None, **kwargs) -> None:
    # Data migrations change rows without signals, and a deploy may bring new templates.
    content_changed(using=using)


def connect_signals(app_config) -> None:
    """Every save, delete and change of a relation of a model the public may see makes a new
    version; so does every ``migrate``.

    Connected model by model rather than for every sender: a model with no receiver for its
    deletions keeps Django's fast deletes (expired sessions, the change log), which a receiver
    for all senders would turn into loading every deleted row.
    """
    for model in apps.get_models(include_auto_created=True):
        if not shown_to_the_public(model):
            continue
        uid = f"content-version:{model._meta.label}"
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=uid)
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=uid)
        # Sent with the "through" model as sender: auto-created ones and taggit's tagged items.
        m2m_changed.connect(_relation_changed, sender=model, dispatch_uid=uid)
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="content-version:migrate")
