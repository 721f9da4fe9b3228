"""One version number for everything the public pages show, so that nothing cached goes stale.

Whatever a public page shows (actors, events with their programme and photos, projects, pages,
topics …) changes only through a save, a delete, a change of a many-to-many relation, or one of
the few bulk updates the querysets make. Each of them calls ``content_changed()`` (the model
signals are connected in ``QuartierConfig.ready``; bulk updates call it themselves), which gives
the content a new version once the transaction commits. Everything cached for the public is
stored under the version it was made from (``cached_for_content``, the page cache): a new
version makes every such entry unreachable at once, and the cache drops them when they expire.

A new version only after the commit: a request that reads the old rows while a change is still
uncommitted stores its result under the old version, which the commit then leaves behind.
"""

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "portal:content-version"

T = TypeVar("T")


def content_version() -> str:
    """The current version of the public content; a new one after every change."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or the cache lost it: any new value will do, as long as all agree on it.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _new_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # The cache is down: it holds nothing anybody could be served from until it is back.
        logger.exception("Could not store a new content version in the cache")


def content_changed() -> None:
    """Something the public may see changed: from the commit on, nothing cached before counts."""
    transaction.on_commit(_new_version, robust=True)


def cached_for_content(key: str, compute: Callable[[], T], *, timeout: int | None = 3600) -> T:
    """``compute()``, made once per content version and kept in the cache.

    For what is costly to compute and depends on nothing but the public content (facet counts,
    the places on a map): the same for every visitor until something changes. Kept per
    language, as what is computed may hold translated labels.
    """
    full_key = f"portal:content:{content_version()}:{get_language() or ''}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=timeout)
    return value
