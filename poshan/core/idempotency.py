"""Client-generated submission ids: a retry is answered with the first result, never a duplicate."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.sql import InsertQuery
from django.utils.translation import gettext as _

from . import claims, keys, prepared
from .prepared import SqlPart

T = TypeVar("T", bound=models.Model)
R = TypeVar("R")


def create_once(model: type[T], *, client_uuid, scope: dict, create: Callable[[], R],
                replay: Callable[[T], R] | None = None, partitioned_on: str | None = None) -> tuple[R, bool]:
    """Run `create` unless a row of `model` with this client_uuid exists; return (result, created).

    The one way a form, API call or offline batch is made exactly-once. `create` saves the row
    carrying client_uuid (and may return something else, e.g. a sheet's result); a retry is answered
    with `replay(earlier row)` (the row itself by default). `scope` narrows the lookup (e.g.
    {"awc": awc}) so a replayed id can never return another centre's or person's row: an id already
    used elsewhere is refused with a message on client_uuid, never a server error. ``partitioned_on``: as
    create_once_claiming's (a fact table partitioned by month on that column: the row is read from its one month).
    """
    replay = replay or (lambda row: row)
    if client_uuid is None:
        return create(), True
    # Looked up across the whole table, not only in scope, so an id used for another record is refused, not
    # answered with it. Still one query.
    found = saved_before(model, client_uuid=client_uuid, scope=scope, partitioned_on=partitioned_on)
    if found is not None:
        return replay(found), False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:  # the same id saved a moment ago by a concurrent request
        found = saved_before(model, client_uuid=client_uuid, scope=scope, partitioned_on=partitioned_on)
        if found is not None:
            return replay(found), False
        raise


def saved_before(model: type[T], *, client_uuid, scope: dict, partitioned_on: str | None = None) -> T | None:
    """The row of `model` a submission with this client id saved already, within `scope`; None when there is none
    (or no client id). An id used for a row outside `scope` is refused (used_elsewhere), never answered with it."""
    if client_uuid is None:
        return None
    found = (model.objects.filter(_carrying(model, client_uuid, partitioned_on))
             .annotate(_in_scope=ExpressionWrapper(Q(**scope), output_field=BooleanField()))
             .order_by("-_in_scope").first())  # one query: in scope, or else anywhere
    if found is not None and not found._in_scope:
        raise used_elsewhere()
    return found


def _carrying(model, client_uuid, partitioned_on: str | None) -> Q:
    """The rows of `model` with this client id (on a partitioned table: in the month its claim names)."""
    if partitioned_on is None:
        return Q(client_uuid=client_uuid)
    return claims.row_filter(model, connections[router.db_for_read(model)], partitioned_on, client_uuid)


class _Replayed(Exception):
    """The receipt's id exists already: the work done meanwhile is undone and the first result answered."""


def create_once_claiming(model: type[T], *, client_uuid, scope: dict,
                         create: Callable[[Callable[..., tuple | None]], R], replay: Callable[[T], R],
                         partitioned_on: str | None = None, prepared_as: str | None = None) -> tuple[R, bool]:
    """create_once in fewer statements, for a hot write path: no lookup before the work and no savepoint.

    `create(claim)` does the work and saves its receipt (the row carrying client_uuid) with `claim(row)`: an
    INSERT that does nothing when the id exists already (committed, or committed meanwhile by a concurrent
    request, which it waits for). Then everything `create` wrote is rolled back and the earlier row is answered
    as create_once does: `replay(row)` within `scope`, a refusal on client_uuid elsewhere. A refusal raised by
    `create` (ValidationError) for an id already used is answered the same way, so a retry still gets its first
    answer when, say, its date has since fallen out of the back-dating window; and so is the refusal of a retry
    that came while the first request was being saved (IntegrityError: the id's claim, see below).

    ``partitioned_on``: the receipt is a fact table partitioned by month on that column on PostgreSQL
    (measurements), unique on (client_uuid, month) only: the INSERT also does nothing when the id is claimed in any
    month (poshan.core.claims: one index probe, in the same statement), and the earlier row is read from its one
    partition. ``prepared_as``: the receipt's INSERT is prepared under that name (insert_unless_conflict).
    `claim(row, also_returning)` returns the values of ``also_returning`` read by that INSERT
    (insert_unless_conflict; prepared as ``prepared_as`` + "_returning"), or None when nothing was read (no client
    id: a plain save).
    """
    def claim(row: T, also_returning: SqlPart | None = None) -> tuple | None:
        if client_uuid is None:
            row.save(force_insert=True)
            return None
        name = prepared_as + "_returning" if prepared_as and also_returning is not None else prepared_as
        only_if = (claims.unclaimed(connections[router.db_for_write(model)], model._meta.db_table, client_uuid)
                   if partitioned_on else None)
        inserted = insert_unless_conflict(row, only_if=only_if, also_returning=also_returning, prepared_as=name)
        if not inserted:
            raise _Replayed
        return inserted if also_returning is not None else None

    try:
        with transaction.atomic():
            return create(claim), True
    except _Replayed:
        pass
    except (ValidationError, IntegrityError):
        if client_uuid is None or not model.objects.filter(_carrying(model, client_uuid, partitioned_on)).exists():
            raise
    found = (model.objects.filter(_carrying(model, client_uuid, partitioned_on))
             .annotate(_in_scope=ExpressionWrapper(Q(**scope), output_field=BooleanField()))
             .order_by("-_in_scope").first())
    if found is None or not found._in_scope:
        raise used_elsewhere()
    return replay(found), False


def _insert_parts(row: models.Model, with_key: bool = False):
    """What an INSERT of `row` needs: (connection, alias, fields, placeholders, params), the values prepared by the
    same compiler steps as save() (pre_save's defaults and auto_now, each field's database value). The auto key is
    left to the database unless `with_key` (a key reserved ahead: poshan.core.keys)."""
    model = type(row)
    using = router.db_for_write(model, instance=row)
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not f.generated and (with_key or f is not opts.auto_field)]
    query = InsertQuery(model)
    query.insert_values(fields, [row])
    compiler = query.get_compiler(using=using)
    values = [compiler.prepare_value(field, compiler.pre_save_val(field, row)) for field in fields]
    [placeholders], [params] = compiler.assemble_as_sql(fields, [values])
    return connections[using], using, fields, placeholders, list(params)


def _guarded_insert(connection, opts, fields, placeholders, *, only_if: SqlPart | None = None,
                    unless_where: SqlPart | None = None) -> tuple[str, list, list[str]]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING the key, guarded by ``only_if`` and ``unless_where`` (as
    insert_unless_conflict takes them): its text, and the guards' parameters and types that follow the row's."""
    qn = connection.ops.quote_name
    source, params, types = f"VALUES ({', '.join(placeholders)})", [], []
    conditions = [] if only_if is None else [only_if]
    if unless_where is not None:
        conditions.append(SqlPart(f"NOT EXISTS (SELECT 1 FROM {qn(opts.db_table)} WHERE {unless_where.sql})",
                                  unless_where.params, unless_where.types))
    if conditions:
        # SELECT, not VALUES, to carry the WHERE; PostgreSQL types its literals by the target columns.
        source = f"SELECT {', '.join(placeholders)} WHERE " + " AND ".join(c.sql for c in conditions)
        for condition in conditions:
            params += list(condition.params)
            types += list(condition.types)
    # ON CONFLICT DO NOTHING on both databases (SQLite 3.24+), never SQLite's INSERT OR IGNORE (Django's choice for
    # ignore_conflicts), which would skip a row breaking a CHECK or NOT NULL rule as if it were a duplicate.
    sql = (f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(f.column) for f in fields)}) {source} "
           f"ON CONFLICT DO NOTHING RETURNING {qn(opts.pk.column)}")
    return sql, params, types


def insert_unless_conflict(row: models.Model, *, only_if: SqlPart | None = None,
                           unless_where: SqlPart | None = None, also_returning: SqlPart | None = None,
                           prepared_as: str | None = None) -> bool | tuple:
    """INSERT `row` … ON CONFLICT DO NOTHING RETURNING its key, in one statement: True (and row.pk set) when
    it went in, False when a unique value of it was there already. PostgreSQL and SQLite alike.

    ``only_if`` (a condition of its own, e.g. that a client id is claimed nowhere: poshan.core.claims): nor when it
    is false, checked in the same statement (an INSERT … SELECT … WHERE).
    ``unless_where`` (a condition on the table's rows): nor when a row meets it, checked in the same statement (a
    rule's probe without a round trip of its own; False then says only that something was there).
    ``also_returning`` (expressions): returned with the key, as a tuple in place of True, when the row went in.
    ``prepared_as``: the statement's name, prepared once per session on PostgreSQL (poshan.core.prepared); it must
    stand for one text, so a caller gives each shape of ``unless_where`` and ``also_returning`` its own name.
    """
    connection, using, fields, placeholders, params = _insert_parts(row)
    sql, guard_params, guard_types = _guarded_insert(connection, type(row)._meta, fields, placeholders,
                                                     only_if=only_if, unless_where=unless_where)
    params += guard_params
    if also_returning is not None:
        sql += f", {also_returning.sql}"
        params += list(also_returning.params)
        guard_types += list(also_returning.types)
    with prepared.cursor(connection) as cursor:
        if prepared_as:
            prepared.execute(cursor, connection, name=prepared_as, sql=sql, params=params,
                             types=lambda: [*(field.db_type(connection) for field in fields), *guard_types])
        else:
            cursor.execute(sql, params)
        got = cursor.fetchone()
    if got is None:
        return False
    row.pk = got[0]
    row._state.adding, row._state.db = False, using
    return tuple(got[1:]) if also_returning is not None else True


def insert_unread(row: models.Model, *, prepared_as: str) -> None:
    """INSERT `row`, a row whose key nobody reads back (a registration's membership, its consent): prepared once per
    session on PostgreSQL, and inside a transaction there it goes with the transaction's next statement or its
    COMMIT (poshan.core.prepared, `defer`), with no round trip of its own. `row.pk` stays unset; the database's
    rules (constraints, keys) still apply, and a row they refuse fails its transaction, at that next statement.
    No save() signals are sent: only for models that have no receivers."""
    part = row_insert(row)
    connection = connections[router.db_for_write(type(row), instance=row)]
    with prepared.cursor(connection) as cursor:
        prepared.execute(cursor, connection, name=prepared_as, sql=part.values_sql(), params=part.params, defer=True,
                         types=part.types)


class RowInsert(NamedTuple):
    """One row's INSERT, to go in another statement (insert_together): its table and columns (quoted), the values'
    placeholders and parameters (database values), and the parameters' PostgreSQL types (or a function giving
    them, called only when the statement is prepared)."""

    table: str
    columns: Sequence[str]
    placeholders: Sequence[str]
    params: Sequence
    types: Sequence[str] | Callable[[], Sequence[str]]

    def values_sql(self) -> str:
        """The row's INSERT on its own: INSERT INTO table (columns) VALUES (placeholders)."""
        return f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES ({', '.join(self.placeholders)})"


def row_insert(row: models.Model) -> RowInsert:
    """The INSERT of a model instance, its values prepared as save() prepares them (its auto key left to the
    database). No save() signals are sent: only for models that have no receivers."""
    connection, _using, fields, placeholders, params = _insert_parts(row)
    qn = connection.ops.quote_name
    return RowInsert(qn(type(row)._meta.db_table), [qn(f.column) for f in fields], placeholders, params,
                     lambda: [field.db_type(connection) for field in fields])


def _types(part) -> list[str]:
    return list(part.types() if callable(part.types) else part.types)


def insert_together(head: models.Model, *, then: Callable[[], Sequence[RowInsert]],
                    unless_where: SqlPart | None = None, prepared_as: str) -> bool:
    """INSERT `head` as insert_unless_conflict does (nothing when a unique value of it is there already, or when a row
    meets `unless_where`) and, only when it went in, the rows `then()` gives: rows that refer to it (its key is set
    when `then` is called) and its audit event (poshan.core.audit.audit_insert). True when all went in (head.pk set),
    False when nothing did.

    On PostgreSQL it is one statement (the others as data-modifying WITH queries on the head's RETURNING): outside a
    transaction, one round trip with its own commit, where a transaction of the same rows is two (its statements,
    then its COMMIT); its key is reserved ahead (poshan.core.keys) for the audit event's hash to cover it. Elsewhere
    (SQLite) the same rows in one transaction. ``prepared_as``: the statement's name, to which a digest of its text
    is added (each shape of ``then``'s rows and of ``unless_where`` is its own statement).
    """
    connection = connections[router.db_for_write(type(head), instance=head)]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=connection.alias):
            if not insert_unless_conflict(head, unless_where=unless_where):
                return False
            with connection.cursor() as cursor:
                for part in then():
                    cursor.execute(part.values_sql(), part.params)
        return True
    if head.pk is None:
        head.pk = keys.reserved_key(type(head))
    _connection, using, fields, placeholders, params = _insert_parts(head, with_key=True)
    opts = type(head)._meta
    head_sql, guard_params, guard_types = _guarded_insert(connection, opts, fields, placeholders,
                                                          unless_where=unless_where)
    params += guard_params
    parts = list(then())
    sql = f"WITH head AS ({head_sql})"
    for n, part in enumerate(parts):
        sql += (f", part{n} AS (INSERT INTO {part.table} ({', '.join(part.columns)}) "
                f"SELECT {', '.join(part.placeholders)} FROM head)")
        params += list(part.params)
    sql += f" SELECT {connection.ops.quote_name(opts.pk.column)} FROM head"
    name = _STATEMENT_NAMES.get(sql)
    if name is None:
        name = _STATEMENT_NAMES.setdefault(sql, f"{prepared_as}_{hashlib.sha1(sql.encode()).hexdigest()[:10]}")
    with prepared.cursor(connection) as cursor:
        prepared.execute(cursor, connection, name=name, sql=sql, params=params,
                         types=lambda: [*(field.db_type(connection) for field in fields), *guard_types,
                                        *(t for part in parts for t in _types(part))])
        inserted = cursor.fetchone() is not None
    if not inserted:
        head.pk = None  # a key that met a conflict is not tried again
        return False
    head._state.adding, head._state.db = False, using
    return True


_STATEMENT_NAMES: dict[str, str] = {}  # insert_together's statement text → its prepared name


def used_elsewhere() -> ValidationError:
    return ValidationError({"client_uuid": _("This submission id was already used for another record.")})
