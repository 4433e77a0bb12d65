"""Per-user, per-minute limits on the face and one-time-code endpoints (fixed window, in the cache)."""
from __future__ import annotations

import time

from poshan.core.counters import hit

WINDOW_SECONDS = 60
FACE_CHECKS_PER_MINUTE = 12  # a worker retaking photos; far above what a hand-over needs
OTP_SENDS_PER_MINUTE = 3
OTP_TRIES_PER_MINUTE = 10


def current_window() -> int:
    return int(time.time() // WINDOW_SECONDS)


def allow(user, bucket: str, limit: int) -> bool:
    """Count one request; False once `limit` requests were made in the current minute."""
    return hit(f"rl:thr:{bucket}:{user.pk}:{current_window()}", WINDOW_SECONDS + 5) <= limit
