"""Django's Redis cache, for which a Redis server that is down or slow is no reason for an error.

The cache only makes the portal faster (pages, facet counts) or counts attempts (rate limits):
while Redis does not answer, reads find nothing and writes are lost, pages are rendered as if
nothing were cached, and rate limits count nothing. After a failure the process leaves Redis
alone for a few seconds, so that a server that is down costs each request no waiting for its
timeouts; the failure is logged once for that while.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ForgivingRedisCacheClient(RedisCacheClient):
    # Seconds for which Redis is left alone after it failed to answer.
    PAUSE = 5.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._unreachable_until = 0.0

    def _call(self, method: str, *args, unreachable):
        if time.monotonic() < self._unreachable_until:
            return unreachable
        try:
            return getattr(super(), method)(*args)
        except UNREACHABLE:
            logger.warning(
                "Redis does not answer; the cache is left alone for a while", exc_info=True
            )
            self._unreachable_until = time.monotonic() + self.PAUSE
            return unreachable

    def add(self, key, value, timeout):
        return self._call("add", key, value, timeout, unreachable=False)

    def get(self, key, default):
        return self._call("get", key, default, unreachable=default)

    def set(self, key, value, timeout):
        self._call("set", key, value, timeout, unreachable=None)

    def touch(self, key, timeout):
        return self._call("touch", key, timeout, unreachable=False)

    def delete(self, key):
        return self._call("delete", key, unreachable=False)

    def get_many(self, keys):
        return self._call("get_many", keys, unreachable={})

    def has_key(self, key):
        return self._call("has_key", key, unreachable=False)

    def incr(self, key, delta):
        missing = object()
        value = self._call("incr", key, delta, unreachable=missing)
        if value is missing:
            # As for a key that expired: the caller starts counting anew.
            raise ValueError(f"Key '{key}' not found.")
        return value

    def set_many(self, data, timeout):
        self._call("set_many", data, timeout, unreachable=None)

    def delete_many(self, keys):
        self._call("delete_many", keys, unreachable=None)

    def clear(self):
        return self._call("clear", unreachable=False)


class RedisCache(DjangoRedisCache):
    """settings.CACHES["default"] when REDIS_URL is set."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
