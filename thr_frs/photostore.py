"""Where a live photo waits for the `frs` worker: encrypted, under a random key, for seconds.

With Redis (deployment, CI): the photo is Fernet-encrypted with the field keys (which
never enter Redis) and SET under `frs:photo:<random>` with a short TTL; the task message
carries only that key, and the task GETDELs it, so the photo is gone the moment it is
read, and by the TTL at the latest if no worker ever reads it. Celery's result backend
never sees it (the task returns nothing). Without Redis (embedded default, eager Celery)
the task runs in the same process, so the encrypted photo waits in this process's memory.
Nothing is ever written to disk. A photo sent with an enrolment form that had an error in another field waits
the same way (KEPT_PHOTO_TTL_SECONDS), so the worker corrects the field without taking the photo again.
"""
from __future__ import annotations

import secrets
import threading
import time
from functools import lru_cache

from django.conf import settings

from poshan.core import crypto

KEY_PREFIX = "frs:photo:"
DEFAULT_TTL_SECONDS = 120  # a check still pending after this is told to take a new photo
KEPT_PHOTO_TTL_SECONDS = 300  # a photo kept while the worker corrects another field of the form
KEY_BYTES = 24

_memory: dict[str, tuple[float, bytes]] = {}
_memory_lock = threading.Lock()


def ttl_seconds() -> int:
    return int(getattr(settings, "FRS_PHOTO_TTL_SECONDS", DEFAULT_TTL_SECONDS))


@lru_cache(maxsize=4)
def _redis(url: str, connect_timeout: float, socket_timeout: float):
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # An unreachable Redis (packets dropped, not refused) raises redis.ConnectionError / TimeoutError within these
    # seconds instead of hanging the page or the worker; the caller then fails the check as "not available". No
    # retries (redis-py 8's defaults, 5 s timeouts and up to 10 retries with backoff, made a face match under an
    # unreachable Redis take 10 s: bench/RESULTS.md); a connection Redis closed is replaced by the pool before use.
    return redis.Redis.from_url(url, socket_connect_timeout=connect_timeout, socket_timeout=socket_timeout,
                                retry=Retry(NoBackoff(), 0))


def _client():
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    return _redis(url, float(getattr(settings, "REDIS_CONNECT_TIMEOUT", 1.0)),
                  float(getattr(settings, "REDIS_SOCKET_TIMEOUT", 1.0)))


def put(photo: bytes, *, ttl: int | None = None) -> str:
    """Keep the photo (encrypted) for one task, or for `ttl` seconds (a photo kept while the worker corrects
    another field of the form); return the key."""
    key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    token = crypto.encrypt(photo)
    seconds = ttl or ttl_seconds()
    client = _client()
    if client is not None:
        client.set(key, token, ex=seconds)
    else:
        with _memory_lock:
            _purge_expired()
            _memory[key] = (time.monotonic() + seconds, token)
    return key


def take(key: str) -> bytes | None:
    """The photo, removed from the store as it is read (None when expired or already taken)."""
    if not key.startswith(KEY_PREFIX):
        return None
    client = _client()
    if client is not None:
        token = client.getdel(key)
    else:
        with _memory_lock:
            expires, token = _memory.pop(key, (0.0, None))
            if token is not None and expires < time.monotonic():
                token = None
    if token is None:
        return None
    try:
        return crypto.decrypt(bytes(token))
    except crypto.InvalidToken:
        return None


def discard(key: str) -> None:
    client = _client()
    if client is not None:
        client.delete(key)
    else:
        with _memory_lock:
            _memory.pop(key, None)


def waiting_keys() -> list[str]:
    """Keys of photos still waiting (tests and the bench check that none are left)."""
    client = _client()
    if client is not None:
        return [k.decode() for k in client.scan_iter(match=KEY_PREFIX + "*")]
    with _memory_lock:
        _purge_expired()
        return list(_memory)


def _purge_expired() -> None:
    now = time.monotonic()
    for key in [k for k, (expires, _) in _memory.items() if expires < now]:
        del _memory[key]
