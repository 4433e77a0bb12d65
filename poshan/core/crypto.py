"""Field encryption (Fernet, several keys for rotation) and keyed hashes (blind indexes).

Keys come from settings (the environment). The first of FIELD_ENCRYPTION_KEYS
encrypts; every key decrypts, so a new key can be put first while the old ones
stay readable until `manage.py rotate_keys` has re-encrypted everything.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "blind_index", "decrypt", "encrypt", "is_current", "rotate"]


def _as_fernet_key(raw: str) -> bytes:
    """Accept a Fernet key, or derive one from any other secret string."""
    try:
        if len(base64.urlsafe_b64decode(raw.encode())) == 32:
            return raw.encode()
    except ValueError:
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw.encode()).digest())


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    fernets = [Fernet(_as_fernet_key(key)) for key in keys]
    return MultiFernet(fernets), fernets[0]


def _multi() -> MultiFernet:
    return _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))[0]


def encrypt(data: bytes) -> bytes:
    return _multi().encrypt(data)


def decrypt(token: bytes) -> bytes:
    return _multi().decrypt(token)


def rotate(token: bytes) -> bytes:
    """Re-encrypt a token under the newest key (readable by any configured key)."""
    return _multi().rotate(token)


def is_current(token: bytes) -> bool:
    """Whether the newest key alone can read the token (no rotation needed)."""
    primary = _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))[1]
    try:
        primary.decrypt(token)
    except InvalidToken:
        return False
    return True


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash for equality lookups on an encrypted value; never the value itself."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), message, hashlib.sha256).hexdigest()
