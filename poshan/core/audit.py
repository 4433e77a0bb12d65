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
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone

from . import prepared
from .audit_digest import content_digest
from .idempotency import RowInsert
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
    """Append one event, part of the caller's transaction: one INSERT, no lock, no read (the sealer orders events).

    The hot path of every audited write and view in the country: the values go to the database as they are, without
    a model instance's save machinery (field walks, per-field preparation); the instance returned is built last.
    On PostgreSQL inside a transaction the INSERT goes with the transaction's next statement or its COMMIT
    (poshan.core.pgsession: no round trip of its own), so the event returned has no id yet (find it by its hash)."""
    values, user = _event_values(actor=actor, action=action, obj=obj, object_type=object_type, object_id=object_id,
                                 awc_id=awc_id, fields=fields)
    pk, alias = _insert(values)
    event = AuditEvent(pk, *values)  # positional, in _COLUMNS' order after the id
    event._state.adding = False
    event._state.db = alias
    if user is not None:
        event._state.fields_cache["actor"] = user  # event.actor without a query, as when it was built with actor=
    return event


def audit_insert(*, actor, action: str, obj: models.Model, awc_id: int | None = None,
                 fields: Iterable[str] = ()) -> RowInsert:
    """audit_record's event as an INSERT to go in the statement that writes `obj` (insert_together's `then`: its key
    is set by then): the same values and hash, written only when `obj` is."""
    values, _user = _event_values(actor=actor, action=action, obj=obj, awc_id=awc_id, fields=fields)
    conn = connections[router.db_for_write(AuditEvent)]
    quote = conn.ops.quote_name
    return RowInsert(quote(AuditEvent._meta.db_table), [quote(c) for c in _COLUMNS], ["%s"] * len(_COLUMNS),
                     _params(values, conn), _PG_PARAM_TYPES)


def _event_values(*, actor, action: str, obj: models.Model | None = None, object_type: str = "",
                  object_id: str | int = "", awc_id: int | None = None, fields: Iterable[str] = ()) -> tuple[list, object]:
    """The event's values in _COLUMNS' order, its hash last, and the signed-in user who acts (None for the system)."""
    otype, oid = _object_ref(obj, object_type, str(object_id))
    meta = request_meta.get()
    user = actor if getattr(actor, "is_authenticated", False) else None
    values = [timezone.now(), user.pk if user is not None else None, getattr(user, "role", "") or "", action, otype,
              oid, awc_id, meta.ip or None, meta.user_agent[:256], sorted(fields), ""]
    values.append(content_digest(values[10], *values[:10]))  # hash, over prev_hash ("") and the content
    return values, user


# The event's columns in the model's order (the id first, left to the database); an assertion keeps them in step.
_COLUMNS = ("at", "actor_id", "actor_role", "action", "object_type", "object_id", "awc_id", "ip", "user_agent", "fields",
            "prev_hash", "hash")
assert tuple(f.attname for f in AuditEvent._meta.concrete_fields) == ("id", *_COLUMNS), "AuditEvent's fields changed"
_INSERT_SQL: dict[str, str] = {}
# PostgreSQL: the INSERT is prepared once per session and executed by name (poshan.core.prepared). Parsing and
# planning an INSERT into the partitioned log cost the server about as much again as running it (~0.1 ms a
# statement, bench/RESULTS.md).
_PREPARED_NAME = "poshan_audit_insert"
_PG_PARAM_TYPES = ("timestamptz", "bigint", "text", "text", "text", "text", "bigint", "inet", "text", "jsonb", "text",
                   "text")


def _insert(values: list) -> tuple[int | None, str]:
    """One INSERT … RETURNING id; PostgreSQL and SQLite (3.35+) both return the id. Each value goes as it is, but the
    time (SQLite keeps naive UTC text) and the field names (JSON text, cast to jsonb on PostgreSQL)."""
    alias = router.db_for_write(AuditEvent)
    conn = connections[alias]
    params = _params(values, conn)
    sql = _INSERT_SQL.get(conn.vendor) or _INSERT_SQL.setdefault(conn.vendor, _insert_sql(conn))
    with prepared.cursor(conn) as cursor:
        if prepared.execute(cursor, conn, name=_PREPARED_NAME, sql=sql, types=_PG_PARAM_TYPES, params=params,
                            defer=True):
            return None, alias
        return cursor.fetchone()[0], alias


def _params(values: list, conn) -> list:
    params = values.copy()
    params[9] = json.dumps(params[9])
    if conn.vendor != "postgresql":
        params[0] = conn.ops.adapt_datetimefield_value(params[0])
    return params


def _insert_sql(conn) -> str:
    quote = conn.ops.quote_name
    return (f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({', '.join(quote(c) for c in _COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) RETURNING {quote(AuditEvent._meta.pk.column)}")


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
