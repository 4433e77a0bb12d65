"""The audit log: every write and every view of personal data, sealed into signed Merkle trees.

An event carries its own hash (an HMAC over its content, AUDIT_HMAC_KEY) and is inserted without a lock and without
reading any other row. The sealer (poshan.core.audit_tree) appends committed events to one RFC 6962 tree per state
and signs tree heads with a key kept outside the database; `manage.py audit_verify` finds an edited, deleted,
inserted or reordered event, `audit_proof` and `audit_consistency` print proofs an outsider checks with
poshan.core.merkle. A trigger forbids UPDATE/DELETE (PostgreSQL; UPDATE on SQLite).

Events written before the trees existed carry the hash of the event before them (`prev_hash`); their hash is checked
the same way and the sealer seals them too. New events have an empty `prev_hash`.
"""
from __future__ import annotations

import contextvars
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, models, router

from .audit_digest import event_digest
from .models import AuditEvent


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None = None
    user_agent: str = ""


request_meta: contextvars.ContextVar[RequestMeta] = contextvars.ContextVar("audit_request_meta", default=RequestMeta())


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
    """Append one event, part of the caller's transaction: one INSERT, no lock, no read (the sealer orders events)."""
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
        prev_hash="",
    )
    event.hash = event_digest(event.prev_hash, event)
    _insert(event)
    return event


_INSERT_SQL: dict[str, str] = {}


def _insert(event: AuditEvent) -> None:
    """One INSERT … RETURNING id, without Model.save()'s machinery (signals, field walks): the hot path of every
    audited write and view in the country. PostgreSQL and SQLite (3.35+) both return the id."""
    alias = router.db_for_write(AuditEvent)
    conn = connections[alias]
    columns = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    sql = _INSERT_SQL.get(conn.vendor)
    if sql is None:
        sql = _INSERT_SQL[conn.vendor] = (
            f"INSERT INTO {conn.ops.quote_name(AuditEvent._meta.db_table)} "
            f"({', '.join(conn.ops.quote_name(f.column) for f in columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
            f"RETURNING {conn.ops.quote_name(AuditEvent._meta.pk.column)}")
    with conn.cursor() as cursor:
        cursor.execute(sql, [f.get_db_prep_save(getattr(event, f.attname), conn) for f in columns])
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = alias


def audit_view(request, *, obj: models.Model | None = None, object_type: str = "", object_id: str | int = "",
               awc_id: int | None = None) -> AuditEvent:
    """A view of a person's record (or a list of people) by the signed-in user."""
    event = audit_record(actor=request.user, action=AuditEvent.Action.VIEW, obj=obj, object_type=object_type,
                         object_id=object_id, awc_id=awc_id)
    setattr(_http_request(request), _READ_AUDITED, True)  # the view's base writes no second event
    return event


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
