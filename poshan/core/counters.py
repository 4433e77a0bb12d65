"""Counters in the cache, for rate limits: count a hit under a key that expires after a window.

With Redis away the cache fails soft (poshan.core.cache): a hit then counts as the first, so the
limits let requests through rather than take the portal down.
"""
from __future__ import annotations

from django.core.cache import cache


def hit(key: str, window_seconds: int) -> int:
    """Count one hit under `key` and return the count so far (the key lives `window_seconds` from its first hit)."""
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # evicted or expired between add and incr, or the cache is down
        cache.set(key, 1, window_seconds)
        return 1


def count(key: str) -> int:
    """The hits counted under `key` (0 when none, expired, or the cache is down)."""
    return int(cache.get(key) or 0)
