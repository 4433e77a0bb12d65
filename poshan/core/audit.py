"""The audit log: every write and every view of personal data, HMAC-chained.

Each event's hash covers its content and the previous event's hash, so editing
or deleting a row breaks the chain (`manage.py audit_verify`). On PostgreSQL a
transaction-scoped advisory lock orders writers; a trigger forbids UPDATE/DELETE.
"""
from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models, transaction

from .models import AuditEvent

GENESIS = "0" * 64
_AUDIT_LOCK_ID = 7_100_001  # pg_advisory_xact_lock key reserved for the audit chain
VERIFY_BATCH = 5_000


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None = None
    user_agent: str = ""


request_meta: contextvars.ContextVar[RequestMeta] = contextvars.ContextVar("audit_request_meta", default=RequestMeta())


def _digest(prev_hash: str, event: AuditEvent) -> str:
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


def _object_ref(obj: models.Model | None, object_type: str, object_id: str) -> tuple[str, str]:
    if obj is None:
        return object_type, object_id
    return obj._meta.label_lower, str(obj.pk)


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    awc_id: int | None = None,
    fields: Iterable[str] = (),
) -> AuditEvent:
    """Append one event. Call it last in the service's transaction (it takes a lock)."""
    otype, oid = _object_ref(obj, object_type, str(object_id))
    meta = request_meta.get()
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=user,
        actor_role=getattr(user, "role", "") or "",
        action=action,
        object_type=otype,
        object_id=oid,
        awc_id=awc_id,
        ip=meta.ip,
        user_agent=meta.user_agent[:256],
        fields=sorted(fields),
    )
    with transaction.atomic(savepoint=False):  # part of the caller's transaction; no savepoint round trips
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_ID])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last or GENESIS
        event.hash = _digest(event.prev_hash, event)
        event.save(force_insert=True)
    return event


def audit_view(request, *, obj: models.Model | None = None, object_type: str = "", object_id: str | int = "",
               awc_id: int | None = None) -> AuditEvent:
    """A view of a person's record (or a list of people) by the signed-in user."""
    event = audit_record(actor=request.user, action=AuditEvent.Action.VIEW, obj=obj, object_type=object_type,
                         object_id=object_id, awc_id=awc_id)
    setattr(_http_request(request), _READ_AUDITED, True)  # the view's base writes no second event
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def _events_in_order() -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:VERIFY_BATCH])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def audit_verify() -> tuple[int, list[ChainBreak]]:
    """Walk the chain; return how many events were checked and where it breaks."""
    prev = GENESIS
    checked = 0
    breaks: list[ChainBreak] = []
    for event in _events_in_order():
        checked += 1
        if event.prev_hash != prev:
            breaks.append(ChainBreak(event.id, "previous event missing or changed"))
        if _digest(event.prev_hash, event) != event.hash:
            breaks.append(ChainBreak(event.id, "content changed"))
        prev = event.hash
    return checked, breaks


# ---- reads of personal data: one event per page or API read, written by the scoped bases ----------------------
# A view or viewset that shows personal data declares `personal_data = True` (poshan.core.scoping.RoleRequiredMixin,
# poshan.core.api.ScopedAPIMixin); its base then audits every successful read once, naming what the view noted with
# `personal_read_note` (the object fetched, a list page) or else the page itself (its URL name and ids, never the
# query string: it may hold a searched number).
_READ_NOTE = "_personal_read_note"
_READ_AUDITED = "_personal_read_audited"


def _http_request(request):
    return getattr(request, "_request", request)  # DRF's Request wraps Django's HttpRequest


def personal_read_note(request, *, obj: models.Model | None = None, object_type: str = "", object_id: str | int = "",
                       awc_id: int | None = None) -> None:
    """Name what this request shows (a person, a family, one page of a list); the base audits it once."""
    if awc_id is None and obj is not None:
        awc_id = getattr(obj, "awc_id", None)
    setattr(_http_request(request), _READ_NOTE,
            {"obj": obj, "object_type": object_type, "object_id": str(object_id), "awc_id": awc_id})


def personal_read_audit(request, *, object_type: str, object_id: str) -> AuditEvent | None:
    """The one audit event of a read of personal data (unless the request already wrote it)."""
    http = _http_request(request)
    if getattr(http, _READ_AUDITED, False) or not getattr(request.user, "is_authenticated", False):
        return None
    note = getattr(http, _READ_NOTE, None) or {"object_type": object_type, "object_id": object_id}
    return audit_view(request, **note)


def page_reference(request) -> str:
    """'beneficiaries:edit:pk=12': the URL's name and ids (what was opened), without its query string."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return request.path
    return ":".join([match.view_name, *(f"{key}={value}" for key, value in sorted(match.kwargs.items()))])
