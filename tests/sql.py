"""The statements a test's captured queries sent, one by one.

On PostgreSQL one message can carry the transaction's BEGIN and a deferred audit row in front of its own statement
(poshan.core.pgsession); Django logs the message whole. Split here, without the BEGIN (psycopg2 sent it unlogged
before), a count is of statements on either database."""
from poshan.core.pgsession import SEPARATOR


def sent_statements(captured_queries) -> list[str]:
    return [part for query in captured_queries for part in query["sql"].split(SEPARATOR) if part != "BEGIN"]
