"""Hot statements prepared once per PostgreSQL session and then run by name.

On the write paths every worker in the country runs (the audit row, a measurement), parsing and planning a small
statement against a partitioned table costs the server as much as running it, or more: planning a probe of every
monthly partition of the measurements took ~0.6 ms of a ~0.9 ms statement (bench/RESULTS.md). A prepared
statement is planned once per session (PostgreSQL keeps a generic plan after five runs when it costs no more) and
lives as long as the session, whatever its transactions do.

SQLite, and PostgreSQL with DB_PREPARED_STATEMENTS off (behind a pooler that hands one client's statements to
different sessions: pgbouncer in transaction mode), get the statement sent whole, as usual.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from django.conf import settings

_PLACEHOLDER = re.compile(r"%s")


def execute(cursor, connection, *, name: str, sql: str, types: Sequence[str] | Callable[[], Sequence[str]],
            params: Sequence) -> None:
    """Run `sql` (Django's %s placeholders, no literal %) with `params` on `cursor`, prepared as `name` on
    PostgreSQL. `types` are the parameters' PostgreSQL types, in order (or a function giving them, called only
    when the statement is prepared); `name` must stand for one `sql` only."""
    if connection.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    session = connection.connection  # the cursor has opened it
    known = getattr(connection, "_prepared_statements", None)
    if known is None or known[0] is not session:  # a new session: nothing is prepared on it yet
        known = connection._prepared_statements = (session, set())
    if name not in known[1]:
        cursor.execute(f"PREPARE {name} ({', '.join(types() if callable(types) else types)}) AS {numbered(sql)}")
        known[1].add(name)
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}", params)


def numbered(sql: str) -> str:
    """Django's %s placeholders as PostgreSQL's $1, $2, … in order."""
    if "%%" in sql:
        raise ValueError("a prepared statement cannot carry a literal %")
    count = iter(range(1, sql.count("%s") + 1))
    return _PLACEHOLDER.sub(lambda _match: f"${next(count)}", sql)
