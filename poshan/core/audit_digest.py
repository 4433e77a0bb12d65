"""The hash an audit event carries: an HMAC (AUDIT_HMAC_KEY) over its content and the hash before it.

Below both its writer (poshan.core.audit, which seals each new event with it) and its checker
(poshan.core.audit_tree.audit_verify, which recomputes it for every stored event).
"""
from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings

from .models import AuditEvent

# One encoder and one keyed HMAC state, made once and copied per event: every audited write and view computes a
# digest, and json.dumps with options builds a new encoder while hmac.new hashes the key's pads again at each call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), default=str)
_KEYED: tuple[str, hmac.HMAC] | None = None


def _keyed() -> hmac.HMAC:
    global _KEYED
    key = settings.AUDIT_HMAC_KEY
    if _KEYED is None or _KEYED[0] != key:  # a changed key (tests override it) makes a new state
        _KEYED = (key, hmac.new(key.encode(), digestmod=hashlib.sha256))
    return _KEYED[1].copy()


def content_digest(prev_hash: str, at, actor_id, actor_role: str, action: str, object_type: str, object_id: str,
                   awc_id, ip, user_agent: str, fields) -> str:
    """The HMAC of one event's content, from its values (the writer has them before any model instance exists)."""
    payload = _ENCODER.encode([prev_hash, at.isoformat(), actor_id, actor_role, action, object_type, object_id, awc_id,
                               ip, user_agent, fields])
    mac = _keyed()
    mac.update(payload.encode())
    return mac.hexdigest()


def event_digest(prev_hash: str, event: AuditEvent) -> str:
    return content_digest(prev_hash, event.at, event.actor_id, event.actor_role, event.action, event.object_type,
                          event.object_id, event.awc_id, event.ip, event.user_agent, event.fields)
