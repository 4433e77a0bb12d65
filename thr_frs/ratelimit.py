"""Per-user, per-minute limits on the face and one-time-code endpoints (fixed window, in the cache)."""
from __future__ import annotations

import time

from django.core.cache import cache

WINDOW_SECONDS = 60
FACE_CHECKS_PER_MINUTE = 12  # a worker retaking photos; far above what a hand-over needs
OTP_SENDS_PER_MINUTE = 3
OTP_TRIES_PER_MINUTE = 10


def current_window() -> int:
    return int(time.time() // WINDOW_SECONDS)


def allow(user, bucket: str, limit: int) -> bool:
    """Count one request; False once `limit` requests were made in the current minute."""
    key = f"rl:thr:{bucket}:{user.pk}:{current_window()}"
    cache.add(key, 0, WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 5)
        count = 1
    return count <= limit
