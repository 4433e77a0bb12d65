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


def event_digest(prev_hash: str, event: AuditEvent) -> str:
    payload = json.dumps(
        [
            prev_hash,
            event.at.isoformat(),
            event.actor_id,
            event.actor_role,
            event.action,
            event.object_type,
            event.object_id,
            event.awc_id,
            event.ip,
            event.user_agent,
            event.fields,
        ],
        separators=(",", ":"),
        default=str,
    )
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()
