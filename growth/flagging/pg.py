"""The PostgreSQL fast path of a chunk: one binary COPY read, COPY + upsert writes.

Read: the chunk's children with their latest and previous measurement (one query, two
index probes per child), cast to float/int in SQL, NULLs as sentinels. Write: COPY into
temporary tables, then `INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM` for
statuses (unchanged rows are not touched, and a status only moves forward in time: a run never
replaces one computed from a newer measurement, `rules.status_moves_forward`) and `ON CONFLICT DO NOTHING` for follow-ups.
"""
from __future__ import annotations

import numpy as np
from django.db import connection

from growth import pgcopy

from . import rules
from .rules import ChunkInput, ChunkResult, RunDay, Visit

VISIT_COLUMNS = (("id", "int8"), ("day", "int4"), ("weight", "float8"), ("lenhei", "float8"), ("measure", "int2"),
                 ("oedema", "bool"), ("muac", "float8"))
READ_COLUMNS = (
    ("child_id", "int8"), ("awc_id", "int8"), ("sex", "int2"), ("dob_day", "int4"),
    *((f"m1_{name}", t) for name, t in VISIT_COLUMNS),
    *((f"m2_{name}", t) for name, t in VISIT_COLUMNS),
)


def _visit_sql(alias: str) -> str:
    return (
        f"COALESCE({alias}.id, 0)::int8, COALESCE({alias}.date - DATE '1970-01-01', -1)::int4, "
        f"COALESCE({alias}.weight_kg::float8, 'NaN'), COALESCE({alias}.lenhei_cm::float8, 'NaN'), "
        f"(CASE {alias}.measure WHEN 'l' THEN 1 WHEN 'h' THEN 2 ELSE 0 END)::int2, "
        f"COALESCE({alias}.oedema, false), COALESCE({alias}.muac_cm::float8, 'NaN')"
    )


# Two index probes per child (measurement_child_date, newest first): the plan does not depend on
# table statistics, so a freshly loaded table (no ANALYZE yet) reads as fast as an old one.
READ_SQL = f"""
SELECT k.id::int8, k.awc_id::int8, (CASE k.sex WHEN 'M' THEN 1 WHEN 'F' THEN 2 ELSE 0 END)::int2,
       (k.dob - DATE '1970-01-01')::int4, {_visit_sql("m1")}, {_visit_sql("m2")}
FROM ({{kids}}) k
LEFT JOIN LATERAL (
    SELECT * FROM growth_measurement m WHERE m.child_id = k.id AND m.date <= %(on)s
    ORDER BY m.date DESC, m.id DESC LIMIT 1
) m1 ON true
LEFT JOIN LATERAL (
    SELECT * FROM growth_measurement m WHERE m.child_id = k.id AND m.date <= %(on)s
    ORDER BY m.date DESC, m.id DESC LIMIT 1 OFFSET 1
) m2 ON true
ORDER BY k.id
"""


def read_chunk(kids_queryset, *, first: int, last: int, run: RunDay) -> ChunkInput:
    kids_sql, kids_params = kids_queryset.values("id", "awc_id", "sex", "dob").query.sql_with_params()
    with connection.cursor() as cursor:
        kids = cursor.cursor.mogrify(kids_sql, kids_params).decode().replace("%", "%%")
        cols = pgcopy.copy_out(cursor, READ_SQL.format(kids=kids), {"on": run.on}, READ_COLUMNS)

    def visit(prefix: str) -> Visit:
        return Visit(**{name: cols[f"{prefix}_{name}"] for name, _ in VISIT_COLUMNS})

    return ChunkInput(child_id=cols["child_id"], awc_id=cols["awc_id"], sex=cols["sex"].astype(np.int8),
                      dob_day=cols["dob_day"], latest=visit("m1"), previous=visit("m2"))


STATUS_COLUMNS = (
    ("child_id", "int8"), ("awc_id", "int8"), ("measurement_id", "int8"), ("measured_day", "int4"),
    ("weight", "float8"), ("lenhei", "float8"), ("muac", "float8"), ("waz", "float8"), ("haz", "float8"),
    ("whz", "float8"), ("underweight", "int2"), ("stunting", "int2"), ("wasting", "int2"), ("acute", "int2"),
    ("is_implausible", "bool"), ("faltering", "bool"), ("waz_change", "float8"),
)
STATUS_DATA = ("awc_id", "measurement_id", "measured_on", "weight_kg", "lenhei_cm", "muac_cm", "waz", "haz", "whz",
               "underweight", "stunting", "wasting", "acute", "is_implausible", "faltering", "waz_change")
UPSERT_STATUS_SQL = f"""
INSERT INTO growth_childstatus AS s (child_id, {", ".join(STATUS_DATA)}, changed_on)
SELECT child_id, awc_id, NULLIF(measurement_id, 0),
       CASE WHEN measured_day < 0 THEN NULL ELSE DATE '1970-01-01' + measured_day END,
       NULLIF(weight, 'NaN')::numeric(4, 2), NULLIF(lenhei, 'NaN')::numeric(4, 1), NULLIF(muac, 'NaN')::numeric(3, 1),
       NULLIF(waz, 'NaN'), NULLIF(haz, 'NaN'), NULLIF(whz, 'NaN'), underweight, stunting, wasting, acute,
       is_implausible, faltering, NULLIF(waz_change, 'NaN'), %(on)s
FROM growth_status_in
ON CONFLICT (child_id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in STATUS_DATA)},
    changed_on = EXCLUDED.changed_on
WHERE ({", ".join(f"s.{c}" for c in STATUS_DATA)}) IS DISTINCT FROM ({", ".join(f"EXCLUDED.{c}" for c in STATUS_DATA)})
  AND (s.measured_on IS NULL OR EXCLUDED.measured_on >= s.measured_on)
"""
FOLLOWUP_COLUMNS = (
    ("child_id", "int8"), ("awc_id", "int8"), ("reason", "int2"), ("month_day", "int4"),
    ("measurement_id", "int8"), ("severity", "int2"), ("z_change", "float8"),
)
INSERT_FOLLOWUPS_SQL = """
INSERT INTO growth_followup (child_id, awc_id, reason, month, measurement_id, severity, z_change, flagged_on,
                             resolution, note)
SELECT child_id, awc_id, (%(reasons)s::text[])[reason + 1], DATE '1970-01-01' + month_day,
       NULLIF(measurement_id, 0), severity, NULLIF(z_change, 'NaN'), %(on)s, '', ''
FROM growth_followup_in
ON CONFLICT (child_id, reason, month) DO NOTHING
"""
CLEAR_FOLLOWUPS_SQL = """
UPDATE growth_followup f SET resolution = 'auto', resolved_at = now()
FROM growth_status_in t
WHERE f.child_id = t.child_id AND f.resolved_at IS NULL AND (
    (f.reason = 'not_weighed' AND f.month = %(month)s AND t.measured_day >= %(month_day)s)
    OR (f.reason = 'remeasure' AND t.measurement_id <> 0 AND NOT t.is_implausible
        AND f.measurement_id IS DISTINCT FROM t.measurement_id)
)
"""


def write(result: ChunkResult, *, run: RunDay) -> tuple[int, int]:
    """Upsert statuses, add follow-ups, clear the ones a new measurement answers.

    Returns (statuses inserted or changed, follow-ups created). Call inside a transaction.
    """
    status = {name: getattr(result.status, name) for name, _ in STATUS_COLUMNS}
    followups = {name: getattr(result.followups, name) for name, _ in FOLLOWUP_COLUMNS}
    with connection.cursor() as cursor:
        pgcopy.temp_table(cursor, "growth_status_in", STATUS_COLUMNS)
        pgcopy.copy_in(cursor, "growth_status_in", STATUS_COLUMNS, status)
        cursor.execute(UPSERT_STATUS_SQL, {"on": run.on})
        changed = cursor.rowcount
        created = 0
        if len(result.followups):
            pgcopy.temp_table(cursor, "growth_followup_in", FOLLOWUP_COLUMNS)
            pgcopy.copy_in(cursor, "growth_followup_in", FOLLOWUP_COLUMNS, followups)
            cursor.execute(INSERT_FOLLOWUPS_SQL, {"on": run.on, "reasons": list(rules.REASONS)})
            created = cursor.rowcount
        cursor.execute(CLEAR_FOLLOWUPS_SQL, {"month": run.month, "month_day": rules.day_number(run.month)})
    return changed, created
