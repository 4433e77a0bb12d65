"""How the portal's PostgreSQL connections are set up."""
import pytest
from django.db import connection

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting (CI runs it)")


# jit: JIT cost a month's rollup chunk 1.5 s of its 2 s (bench/RESULTS.md): every connection turns it off.
# random_page_cost: at the default 4 (a spinning disk's) a rollup chunk hashed the whole people table to find its own
# people once the table held a few chunks' worth (bench/RESULTS.md): every connection plans with 1.1 unless told
# otherwise.
@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(("setting", "value"), [("jit", "off"), ("random_page_cost", "1.1")])
def test_every_postgresql_connection_is_set_up_for_the_portals_queries(setting, value):
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        assert cursor.fetchone()[0] == value
