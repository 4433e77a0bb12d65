"""A PostgreSQL connection whose transactions cost no round trips of their own.

psycopg2 opens each transaction with a BEGIN sent alone, and waits for the server's answer before it sends the
first statement; the audit event a write carries (poshan.core.audit) was one more round trip, and the COMMIT is
one. On this kind of machine a round trip costs about as much as a small row (bench/RESULTS.md: a `SELECT 1`
beside a one-row write took 13–17 % of its throughput), so a worker's form paid as much for the conversation as
for its rows.

`Connection` (psycopg2's `connection_factory`, set in the settings) keeps the driver in autocommit and runs the
transactions Django asks for itself:
- BEGIN goes in front of the transaction's first statement, in the same message;
- a statement whose result nobody reads (`defer`: the audit event) goes in front of the next statement sent on the
  connection, or with the COMMIT, whichever comes first — so it is still inside its transaction, still before any
  read that could look for it, and a savepoint rolled back after it takes it back with everything else;
- COMMIT and ROLLBACK are sent only when a statement has begun a transaction on the server.

Whether the server has a transaction open is read from libpq (`info.transaction_status`, no round trip), never
guessed, so a statement refused before it was sent (a bad parameter) leaves the next one to begin it; one the
server refused (the transaction now in error) took what waited with it, which is not sent again (a ROLLBACK TO
SAVEPOINT after it must go alone). A statement that needs a message of its own (COPY, a server-side cursor's
DECLARE, executemany) has what waits sent first.
"""
from __future__ import annotations

from psycopg2 import ProgrammingError, extensions
from psycopg2.sql import Composable

IDLE = extensions.TRANSACTION_STATUS_IDLE
OPEN = (extensions.TRANSACTION_STATUS_INTRANS, extensions.TRANSACTION_STATUS_INERROR)
SEPARATOR = ";\n"  # between the statements of one message (a log shows each on its own line)
_AUTOCOMMIT = extensions.connection.autocommit  # the driver's own setting, kept on


class Cursor(extensions.cursor):
    """Sends what waits on its connection (BEGIN, deferred statements) in front of the statement it runs."""

    def execute(self, query, vars=None):  # noqa: A002 - psycopg2's own parameter name
        conn = self.connection
        if self.name is not None:  # a server-side cursor: psycopg2 wraps the query in a DECLARE of its own
            conn.send_waiting()
            return super().execute(query, vars)
        prefix, taken = conn._waiting()
        if not prefix:
            return super().execute(query, vars)
        if isinstance(query, Composable):
            query = query.as_string(self)
        if vars is not None:  # psycopg2 formats the whole text: a literal % in what waits must stay one
            prefix = prefix.replace("%", "%%")
        try:
            super().execute(prefix.encode() + query if isinstance(query, bytes) else prefix + query, vars)
        except Exception:
            if conn.info.transaction_status == extensions.TRANSACTION_STATUS_INERROR:
                conn._sent(taken)  # the server had the message, and what waited went with it: never sent again
            raise
        conn._sent(taken)
        return None

    def executemany(self, query, vars_list):  # noqa: A002
        self.connection.send_waiting()
        return super().executemany(query, vars_list)

    def callproc(self, procname, parameters=None):
        self.connection.send_waiting()
        return super().callproc(procname, parameters)

    def copy_expert(self, sql, file, size=8192):
        self.connection.send_waiting()
        return super().copy_expert(sql, file, size)

    def copy_from(self, *args, **kwargs):
        self.connection.send_waiting()
        return super().copy_from(*args, **kwargs)

    def copy_to(self, *args, **kwargs):
        self.connection.send_waiting()
        return super().copy_to(*args, **kwargs)


class Connection(extensions.connection):
    """psycopg2's connection with its transactions begun and ended in the statements' own messages."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _AUTOCOMMIT.__set__(self, True)
        self._transaction = False  # the caller asked for a transaction (autocommit off)
        self._deferred: list[str] = []

    # -- the setting Django reads and writes, emulated ---------------------------------------------------------
    @property
    def autocommit(self) -> bool:
        return not self._transaction

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        if value and self.info.transaction_status in OPEN:
            raise ProgrammingError("set_session cannot be used inside a transaction")
        self._transaction = not value

    def cursor(self, *args, **kwargs):
        named = bool(args[0] if args else kwargs.get("name"))
        if named and self._transaction:
            # psycopg2 refuses a server-side cursor without hold while the driver is in autocommit; the DECLARE
            # runs inside the transaction begun for it (send_waiting), and a held cursor is valid there too.
            kwargs["withhold"] = True
        if len(args) < 2:
            kwargs.setdefault("cursor_factory", Cursor)
        return super().cursor(*args, **kwargs)

    # -- what waits to be sent ---------------------------------------------------------------------------------
    def defer(self, statement: str) -> None:
        """Run `statement` (complete SQL text, its values quoted: cursor.mogrify) with the next statement sent on
        this connection, inside the same transaction; at once when no transaction is open."""
        if not self._transaction:
            with super().cursor(cursor_factory=extensions.cursor) as cursor:
                cursor.execute(statement)
            return
        self._deferred.append(statement)

    def _waiting(self) -> tuple[str, int]:
        """The text to send before the next statement, and how many deferred statements it carries."""
        begin = self._transaction and self.info.transaction_status == IDLE
        if not begin and not self._deferred:
            return "", 0
        parts = (["BEGIN"] if begin else []) + self._deferred
        return "".join(part + SEPARATOR for part in parts), len(self._deferred)

    def _sent(self, taken: int) -> None:
        del self._deferred[:taken]

    def send_waiting(self) -> None:
        """What waits, sent alone (before a statement that cannot carry it)."""
        prefix, taken = self._waiting()
        if prefix:
            with super().cursor(cursor_factory=extensions.cursor) as cursor:
                cursor.execute(prefix)
            self._sent(taken)

    # -- the transaction's end -----------------------------------------------------------------------------
    def commit(self) -> None:
        prefix, taken = self._waiting()
        if not prefix and self.info.transaction_status == IDLE:
            return  # nothing was sent: nothing to commit
        with super().cursor(cursor_factory=extensions.cursor) as cursor:
            cursor.execute(prefix + "COMMIT")
        self._sent(taken)

    def rollback(self) -> None:
        self._deferred.clear()
        if self.info.transaction_status != IDLE:
            with super().cursor(cursor_factory=extensions.cursor) as cursor:
                cursor.execute("ROLLBACK")
