"""How the portal's PostgreSQL connections are set up."""
import pytest
from django.db import connection

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting (CI runs it)")


@postgres_only
@pytest.mark.django_db
def test_postgresql_compiles_no_query_just_in_time():
    # JIT cost a month's rollup chunk 1.5 s of its 2 s (bench/RESULTS.md): every connection turns it off.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@postgres_only
@pytest.mark.django_db
def test_postgresql_prices_a_page_read_out_of_order_as_solid_state_storage_does():
    # At the default 4 (a spinning disk's) a rollup chunk hashed the whole people table to find its own people once
    # the table held a few chunks' worth (bench/RESULTS.md): every connection plans with 1.1 unless told otherwise.
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
