"""Read replicas: dashboards and exports read from `replica` when DATABASE_REPLICA_URL is set.

Rules (the whole of them):
1. Every write goes to the primary ("default").
2. Reads inside a transaction on the primary stay on the primary: they must see its own writes
   (the rollup refresh reads the rows it has just written; every service reads-then-writes there).
3. Inside `replica_reads()` (the export rows and counts, on the page and in the export worker) reads go
   to the replica: an export of figures may lag the primary by the replica's delay.
4. Otherwise only the dashboards' rollups (ROLLUP_MODELS, written only by the refresh job) are read from
   the replica — unless this request or task has already written something (read-your-writes: from its
   first write to its end, it reads the primary).
5. Everything else reads the primary.

"This request or task" starts afresh at each `request_started` and Celery `task_prerun`.
Without a replica alias every decision is the primary and nothing here costs more than a lookup.
A replica is a PostgreSQL streaming standby of the primary (docs/SCALING.md); in tests it is
configured as `TEST: {"MIRROR": "default"}`, so no second test database is made.
"""
from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
ROLLUP_MODELS = frozenset({"dashboards.areamonth", "dashboards.nutritionmonth"})

_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("db_router_wrote", default=False)
_reporting: contextvars.ContextVar[bool] = contextvars.ContextVar("db_router_reporting", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def fresh_unit_of_work(**_kwargs) -> None:
    """A new request or task: nothing written yet, no reporting block open."""
    _wrote.set(False)
    _reporting.set(False)


@contextmanager
def replica_reads():
    """Reads in this block may come from the replica (rule 3); writes still go to the primary."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        try:
            _reporting.reset(token)
        except ValueError:  # a generator finished in another context (async streaming): just close the block
            _reporting.set(False)


def read_on_replica(rows: Iterable) -> Iterator:
    """Iterate `rows` (a lazy export generator, also one streamed after the view returned) in `replica_reads()`."""
    with replica_reads():
        yield from rows


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if _reporting.get():
            return REPLICA
        if model._meta.label_lower in ROLLUP_MODELS and not _wrote.get():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True  # the same data: the replica is a copy of the primary
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None


request_started.connect(fresh_unit_of_work, dispatch_uid="poshan.db_router.request")
try:
    from celery.signals import task_prerun
except ImportError:  # pragma: no cover - Celery is a requirement; the router works without it
    pass
else:
    task_prerun.connect(fresh_unit_of_work, dispatch_uid="poshan.db_router.task", weak=False)
