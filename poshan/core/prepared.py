"""Hot statements prepared once per PostgreSQL session and then run by name.

On the write paths every worker in the country runs (the audit row, a measurement), parsing and planning a small
statement against a partitioned table costs the server as much as running it, or more: planning a probe of every
monthly partition of the measurements took ~0.6 ms of a ~0.9 ms statement (bench/RESULTS.md). A prepared
statement is planned once per session (PostgreSQL keeps a generic plan after five runs when it costs no more) and
lives as long as the session, whatever its transactions do.

SQLite, and PostgreSQL with DB_PREPARED_STATEMENTS off (behind a pooler that hands one client's statements to
different sessions: pgbouncer in transaction mode), get the statement sent whole, as usual.

`cursor(connection)` is the cursor they run on: on PostgreSQL, while nothing watches the connection's queries, the
driver's own cursor, made once per session. Django's cursor wrapper cost ~12 µs to make for each statement and
~20 µs more to run one through it, about a quarter of the audit row's client time (bench/RESULTS.md). Whatever
watches the queries (DEBUG's log, a test counting them, an execute wrapper) gets Django's cursor, as before.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from django.conf import settings

_PLACEHOLDER = re.compile(r"%s")
_EXECUTE: dict[tuple[str, int], str] = {}  # (name, parameter count) → "EXECUTE name (%s, …)"


class SqlPart(NamedTuple):
    """A piece of a statement, to be put in another's text (a condition on a table's rows): `sql` with %s
    placeholders, `params` as database values, and their PostgreSQL `types` in order, for the statement it goes
    into to be prepared."""

    sql: str
    params: Sequence
    types: Sequence[str]


def cursor(connection):
    """A cursor for hot statements, used as `with prepared.cursor(connection) as cursor:`; fetch its rows before
    the next hot statement on the same connection (on PostgreSQL they share one cursor)."""
    if connection.vendor == "postgresql":
        connection.close_if_health_check_failed()
        if connection.connection is not None and not connection.queries_logged and not connection.execute_wrappers:
            return _DriverCursor(connection)
    return connection.cursor()


class _DriverCursor:
    """The session's psycopg cursor; the statements' errors come out as Django's, as from Django's cursor, and a
    transaction already broken refuses them the same way."""

    __slots__ = ("connection", "errors")

    def __init__(self, connection) -> None:
        self.connection = connection

    def __enter__(self):
        connection = self.connection
        connection.validate_no_broken_transaction()
        session = connection.connection
        kept = getattr(connection, "_prepared_cursor", None)
        if kept is None or kept[0] is not session:
            with connection.wrap_database_errors:
                kept = connection._prepared_cursor = (session, connection.create_cursor())
        self.errors = connection.wrap_database_errors
        self.errors.__enter__()
        return kept[1]

    def __exit__(self, exc_type, exc_value, traceback):
        return self.errors.__exit__(exc_type, exc_value, traceback)


def execute(cursor, connection, *, name: str, sql: str, types: Sequence[str] | Callable[[], Sequence[str]],
            params: Sequence, defer: bool = False) -> bool:
    """Run `sql` (Django's %s placeholders, no literal %) with `params` on `cursor`, prepared as `name` on
    PostgreSQL. `types` are the parameters' PostgreSQL types, in order (or a function giving them, called only
    when the statement is prepared); `name` must stand for one `sql` only.

    With `defer`, a statement whose result nobody reads waits to go with the transaction's next statement or its
    COMMIT (poshan.core.pgsession), when a transaction is open on PostgreSQL; True when it waits (the cursor then
    has no result), False when it ran."""
    if connection.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return False
    session = connection.connection  # the cursor has opened it
    known = getattr(connection, "_prepared_statements", None)
    if known is None or known[0] is not session:  # a new session: nothing is prepared on it yet
        known = connection._prepared_statements = (session, set())
    if name not in known[1]:
        cursor.execute(f"PREPARE {name} ({', '.join(types() if callable(types) else types)}) AS {numbered(sql)}")
        known[1].add(name)
    statement = _EXECUTE.get((name, len(params)))
    if statement is None:
        statement = _EXECUTE[(name, len(params))] = (f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params
                                                     else f"EXECUTE {name}")
    if defer and defers(connection):
        # DEBUG's log shows it in front of the statement it went with (the driver's text of what was sent).
        session.defer(cursor.mogrify(statement, params).decode())
        return True
    cursor.execute(statement, params)
    return False


def defers(connection) -> bool:
    """Whether a statement run with `defer` on `connection` now waits to go with the transaction's next statement:
    PostgreSQL with prepared statements, inside a transaction, on a poshan.core.pgsession connection."""
    return (connection.vendor == "postgresql" and settings.DB_PREPARED_STATEMENTS and connection.in_atomic_block
            and hasattr(connection.connection, "defer"))


def numbered(sql: str) -> str:
    """Django's %s placeholders as PostgreSQL's $1, $2, … in order."""
    if "%%" in sql:
        raise ValueError("a prepared statement cannot carry a literal %")
    count = iter(range(1, sql.count("%s") + 1))
    return _PLACEHOLDER.sub(lambda _match: f"${next(count)}", sql)
