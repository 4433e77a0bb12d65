"""Django's Redis cache, made to fail soft: Redis down must not take the portal down.

Every read answers "not cached" and every write is dropped (logged once a minute), so
cached sessions fall back to their database rows, and the per-minute rate limits let
requests through while Redis is away (django-axes keeps locking in the database, and a
one-time code still allows only a few tries, counted on its row). Connection and socket
timeouts in OPTIONS keep an unreachable Redis from hanging a request.
"""
from __future__ import annotations

import functools
import logging
import time

import redis
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
WARN_EVERY = 60  # seconds
_last_warning = 0.0
UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def _unavailable(exc: Exception) -> None:
    global _last_warning
    if time.monotonic() - _last_warning >= WARN_EVERY:
        _last_warning = time.monotonic()
        logger.warning("Redis cache unavailable (%s); carrying on without it", type(exc).__name__)


def _fail_soft(name: str, fallback):
    """RedisCache's method `name`, answering fallback(*args) instead of raising when Redis is unreachable."""
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def soft(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as exc:
            _unavailable(exc)
            return fallback(*args, **kwargs)

    return soft


def _no_counter(*_args, **_kwargs):
    raise ValueError("Key not available: the cache is down")  # what incr() raises for a missing key


def _nothing(*_args, **_kwargs):
    return None


def _false(*_args, **_kwargs):
    return False


class ResilientRedisCache(RedisCache):
    get = _fail_soft("get", lambda key, default=None, version=None: default)
    get_many = _fail_soft("get_many", lambda *_a, **_k: {})
    has_key = _fail_soft("has_key", _false)
    add = _fail_soft("add", _false)
    set = _fail_soft("set", _nothing)
    set_many = _fail_soft("set_many", lambda data, *_a, **_k: list(data))  # the keys not stored
    touch = _fail_soft("touch", _false)
    delete = _fail_soft("delete", _false)
    delete_many = _fail_soft("delete_many", _nothing)
    incr = _fail_soft("incr", _no_counter)
    clear = _fail_soft("clear", _false)
