"""Demo and benchmark measurements: realistic monthly series, scored with the engine and bulk-loaded.

Each child gets a latent height-for-age and weight-for-height z that drift month to month
(levels near India's NFHS-5: about a third stunted, a fifth wasted, a few SAM); some
children falter in the last months, a few have oedema, a few a mistyped length. Values are
the WHO curves at those z (M (1 + L S z)^(1/L)), rounded as the scale and board read.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from beneficiaries.models import Beneficiary
from beneficiaries.selectors import children_q, present_q

from . import pgcopy
from .flagging.rules import day_number, from_day_number
from .models import LENHEI_CM_RANGE, MUAC_CM_RANGE, WEIGHT_KG_RANGE, Measurement
from .nutrition import SEX_CODES, assess
from .zscores import (AGE_SLOTS, HEIGHT_FROM_DAY, LAST_TABLE_DAY, LENGTH_SLOTS, LENGTH_TABLE_FILES, MEASURE_LYING,
                      MEASURE_STANDING, TABLE_WFH, TABLE_WFL, load_tables)

DEMO_SEED = 505
DAYS_BETWEEN_VISITS = 30
FALTERING_SHARE = 0.08
OEDEMA_SHARE = 0.004
TYPO_SHARE = 0.003
SCALE_MONTHS = 3
SCALE_CHILDREN_PER_BATCH = 100_000  # children generated and copied at a time (bounded memory)
MEASURE_LETTERS = np.array(["", "l", "h"])
CHILD_UNTIL_DAYS = 6 * 365  # measured until the 6th birthday (scored until 5 years)
GROWTH_CM_PER_DAY = 6.5 / 365  # after 5 years, for demo heights only


@dataclass
class Series:
    """Flat arrays, one entry per measurement."""

    child: np.ndarray  # index into the children given
    day: np.ndarray
    weight: np.ndarray
    lenhei: np.ndarray
    measure: np.ndarray
    muac: np.ndarray
    oedema: np.ndarray


def _curve(table: np.ndarray, index: np.ndarray, z: np.ndarray) -> np.ndarray:
    l, m, s = table.take(index, axis=1)
    return m * (1.0 + l * s * z) ** (1.0 / l)


def generate(sex: np.ndarray, dob_day: np.ndarray, *, today: date, months: int, seed: int) -> Series:
    """Monthly measurements (the last one within the past month) for children under 6."""
    rng = np.random.default_rng(seed)
    n = len(sex)
    tables = load_tables()
    haz0 = rng.normal(-1.3, 1.1, n)
    whz0 = rng.normal(-0.8, 1.0, n)
    falters = rng.random(n) < FALTERING_SHARE
    last_visit = day_number(today) - rng.integers(0, 28, n)
    child = np.repeat(np.arange(n), months)
    k = np.tile(np.arange(months)[::-1], n)  # visits back from the last one
    day = last_visit[child] - k * DAYS_BETWEEN_VISITS
    age = day - dob_day[child]
    keep = (age >= 0) & (age < CHILD_UNTIL_DAYS) & np.isin(sex[child], (1, 2))
    child, k, day, age = child[keep], k[keep], day[keep], age[keep]
    sex_row = sex[child].astype(np.intp)
    table_age = np.minimum(age, LAST_TABLE_DAY)  # 5–6 years: measured, not scored; values near the 5-year curve
    haz = haz0[child] + rng.normal(0, 0.12, child.size)
    whz = whz0[child] + rng.normal(0, 0.25, child.size) - np.where(falters[child] & (k < 2), 0.6 * (2 - k), 0.0)
    height = _curve(tables.by_age["len"], sex_row * AGE_SLOTS + table_age, haz)
    height += (age - table_age) * GROWTH_CM_PER_DAY
    table = np.where(age < HEIGHT_FROM_DAY, TABLE_WFL, TABLE_WFH)
    tenth = np.clip(np.round(height * 10), 450, 1200).astype(np.intp)
    tenth = np.where(table == TABLE_WFH, np.maximum(tenth, 650), np.minimum(tenth, 1100))
    slot = (sex_row * len(LENGTH_TABLE_FILES) + table) * LENGTH_SLOTS + tenth
    weight = _curve(tables.by_length, slot, whz)
    acz = 0.7 * whz + rng.normal(-0.3, 0.5, child.size)
    muac = _curve(tables.by_age["ac"], sex_row * AGE_SLOTS + table_age, acz)
    typo = rng.random(child.size) < TYPO_SHARE
    height = np.where(typo, height + 12.0, height)
    oedema = (rng.random(child.size) < OEDEMA_SHARE) & (k == 0)
    return Series(
        child=child, day=day.astype(np.int32),
        weight=np.clip(np.round(weight * 20) / 20, *WEIGHT_KG_RANGE),
        lenhei=np.clip(np.round(height, 1), *LENHEI_CM_RANGE),
        measure=np.where(age < HEIGHT_FROM_DAY, MEASURE_LYING, MEASURE_STANDING).astype(np.int8),
        muac=np.where(age >= 183, np.clip(np.round(muac, 1), *MUAC_CM_RANGE), np.nan), oedema=oedema,
    )


def _scored(series: Series, sex: np.ndarray, dob_day: np.ndarray):
    age = (series.day - dob_day[series.child]).astype(np.float64)
    return assess(sex[series.child], age, series.weight, series.lenhei, series.measure, series.oedema, series.muac)


def _none(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


@transaction.atomic
def seed_measurements(children: Iterable[Beneficiary], *, months: int = 6, rng_seed: int = DEMO_SEED,
                      today: date | None = None) -> int:
    """Bulk-create `months` monthly measurements for each child (demo world; any database)."""
    children = [c for c in children if c.sex in SEX_CODES]
    if not children:
        return 0
    today = today or timezone.localdate()
    sex = np.array([SEX_CODES[c.sex] for c in children], np.int8)
    dob_day = np.array([day_number(c.dob) for c in children], np.int32)
    series = generate(sex, dob_day, today=today, months=months, seed=rng_seed)
    a = _scored(series, sex, dob_day)
    rows = []
    for i in range(series.child.size):
        c = children[series.child[i]]
        rows.append(Measurement(
            child=c, awc_id=c.awc_id, district_id=c.awc.district_id, date=from_day_number(series.day[i]),
            weight_kg=f"{series.weight[i]:.2f}", lenhei_cm=f"{series.lenhei[i]:.1f}",
            measure=MEASURE_LETTERS[series.measure[i]], oedema=bool(series.oedema[i]),
            muac_cm=None if np.isnan(series.muac[i]) else f"{series.muac[i]:.1f}",
            clenhei_cm=_none(a.clenhei[i]), waz=_none(a.waz[i]), haz=_none(a.haz[i]), whz=_none(a.whz[i]),
            baz=_none(a.baz[i]), acz=_none(a.acz[i]), flags=int(a.flags[i]), underweight=int(a.underweight[i]),
            stunting=int(a.stunting[i]), wasting=int(a.wasting[i]), acute=int(a.acute[i]),
            is_implausible=bool(a.implausible[i]),
        ))
    Measurement.objects.bulk_create(rows, batch_size=2_000)
    last: dict[int, int] = {}
    for i, day in zip(series.child.tolist(), series.day.tolist()):
        last[i] = max(last.get(i, day), day)
    for i, day in last.items():
        Beneficiary.objects.filter(pk=children[i].pk).update(last_weighed_on=from_day_number(day))
    return len(rows)


# --- the benchmark world (PostgreSQL, COPY) ---------------------------------------------------------

COPY_COLUMNS = (
    ("child_id", "int8"), ("awc_id", "int8"), ("district_id", "int8"), ("day", "int4"), ("weight", "float8"),
    ("lenhei", "float8"), ("measure", "int2"), ("muac", "float8"), ("oedema", "bool"), ("clenhei", "float8"),
    ("waz", "float8"), ("haz", "float8"), ("whz", "float8"), ("baz", "float8"), ("acz", "float8"), ("flags", "int2"),
    ("underweight", "int2"), ("stunting", "int2"), ("wasting", "int2"), ("acute", "int2"), ("implausible", "bool"),
)
INSERT_SQL = """
INSERT INTO growth_measurement (child_id, awc_id, district_id, date, weight_kg, lenhei_cm, measure, muac_cm, oedema,
    clenhei_cm, waz, haz, whz, baz, acz, flags, underweight, stunting, wasting, acute, is_implausible, created_at)
SELECT child_id, awc_id, district_id, DATE '1970-01-01' + day, round(weight::numeric, 2), round(lenhei::numeric, 1),
    (ARRAY['', 'l', 'h'])[measure + 1], round(NULLIF(muac, 'NaN')::numeric, 1), oedema, NULLIF(clenhei, 'NaN'),
    NULLIF(waz, 'NaN'), NULLIF(haz, 'NaN'), NULLIF(whz, 'NaN'), NULLIF(baz, 'NaN'), NULLIF(acz, 'NaN'), flags,
    underweight, stunting, wasting, acute, implausible, now()
FROM growth_measurement_in
"""
CHILDREN_SQL = """
SELECT b.id::int8, b.awc_id::int8, a.district_id::int8, (CASE b.sex WHEN 'M' THEN 1 WHEN 'F' THEN 2 ELSE 0 END)::int2,
       (b.dob - DATE '1970-01-01')::int4
FROM beneficiaries_beneficiary b JOIN anganwadi_location a ON a.id = b.awc_id
WHERE b.awc_id = ANY(%(awcs)s) AND b.id > %(after)s AND b.dob > %(born_after)s AND b.exited_on IS NULL
ORDER BY b.id LIMIT %(limit)s
"""
CHILD_COLUMNS = (("id", "int8"), ("awc_id", "int8"), ("district_id", "int8"), ("sex", "int2"), ("dob_day", "int4"))
WEIGHED_SQL = """
UPDATE beneficiaries_beneficiary b SET last_weighed_on = w.last
FROM (SELECT child_id, DATE '1970-01-01' + max(day) AS last FROM growth_measurement_in GROUP BY child_id) w
WHERE b.id = w.child_id
"""


def scale_measurements(awcs, *, months: int = SCALE_MONTHS, rng_seed: int = DEMO_SEED,
                       progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """Measurements for every child under 6 of `awcs` (the benchmark world), COPY'd in batches."""
    awc_ids = [a if isinstance(a, int) else a.pk for a in awcs]
    if connection.vendor != "postgresql":
        today = timezone.localdate()
        kids = Beneficiary.objects.filter(present_q(today), children_q(today), awc_id__in=awc_ids)
        return {"measurements": seed_measurements(kids.select_related("awc"), months=months, rng_seed=rng_seed)}
    today = timezone.localdate()
    born_after = today.replace(year=today.year - 6)
    after, total, batch = 0, 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            kids = pgcopy.copy_out(cursor, CHILDREN_SQL, {"awcs": awc_ids, "after": after, "born_after": born_after,
                                                          "limit": SCALE_CHILDREN_PER_BATCH}, CHILD_COLUMNS)
            if kids["id"].size == 0:
                break
            after = int(kids["id"][-1])
            sex = kids["sex"].astype(np.int8)
            series = generate(sex, kids["dob_day"], today=today, months=months, seed=rng_seed + batch)
            a = _scored(series, sex, kids["dob_day"])
            rows = {
                "child_id": kids["id"][series.child], "awc_id": kids["awc_id"][series.child],
                "district_id": kids["district_id"][series.child], "day": series.day, "weight": series.weight,
                "lenhei": series.lenhei, "measure": series.measure, "muac": series.muac, "oedema": series.oedema,
                "clenhei": a.clenhei, "waz": a.waz, "haz": a.haz, "whz": a.whz, "baz": a.baz, "acz": a.acz,
                "flags": a.flags, "underweight": a.underweight, "stunting": a.stunting, "wasting": a.wasting,
                "acute": a.acute, "implausible": a.implausible,
            }
            pgcopy.temp_table(cursor, "growth_measurement_in", COPY_COLUMNS)
            pgcopy.copy_in(cursor, "growth_measurement_in", COPY_COLUMNS, rows)
            cursor.execute(INSERT_SQL)
            cursor.execute(WEIGHED_SQL)
            total += series.child.size
            batch += 1
        progress(f"measurements: {total} for children up to id {after}")
    return {"measurements": total}


def seed_demo_world(awcs) -> int:
    """Measurements for the demo world's children (called by seed_demo once people exist)."""
    today = timezone.localdate()
    kids = (Beneficiary.objects.filter(present_q(today), children_q(today), awc__in=awcs)
            .select_related("awc").order_by("pk"))
    return seed_measurements(kids)
