"""Per-row pure-Python WHO z-scores: the method of ``growth.zscores``, one child at a time.

Written independently of the vectorised engine (own table reader, scalar
arithmetic) and used only to cross-check it in tests and as the benchmark
baseline. Same conventions and result keys as :func:`growth.zscores.score`,
for plausible inputs (magnitudes like 1e-300 cm may raise where NumPy gives inf).
"""

from __future__ import annotations

import functools
import math

from growth.zscores import (
    DAYS_PER_MONTH,
    FLAG_NOT_COMPUTED,
    HAZ_FLAG_ABS,
    HEIGHT_FROM_DAY,
    LAST_TABLE_DAY,
    LENHEI_ADJUST_CM,
    MAX_AGE_MONTHS,
    MEASURE_LYING,
    MEASURE_STANDING,
    MEASURE_UNKNOWN,
    OTHER_FLAG_ABS,
    RESTRICTED_Z,
    STANDING_MIN_MONTHS,
    TABLE_DIR,
    UNKNOWN_AGE_HEIGHT_FROM_CM,
    WAZ_FLAG_RANGE,
    WFH_RANGE_CM,
    WFL_RANGE_CM,
)

LMS = tuple[float, float, float]
Table = dict[tuple[int, int], LMS]
NAN = math.nan


def _read_table(name: str, key_scale: int) -> Table:
    """{(sex, age day or tenth of cm): (l, m, s)} from one WHO file."""
    table: Table = {}
    with open(TABLE_DIR / name, encoding="ascii") as lines:
        next(lines)
        for line in lines:
            sex, key, l, m, s = line.split("\t")[:5]
            table[int(sex), round(float(key) * key_scale)] = (float(l), float(m), float(s))
    return table


@functools.cache
def _tables() -> dict[str, Table]:
    return {
        "wei": _read_table("weianthro.txt", 1),
        "len": _read_table("lenanthro.txt", 1),
        "bmi": _read_table("bmianthro.txt", 1),
        "ac": _read_table("acanthro.txt", 1),
        "wfl": _read_table("wflanthro.txt", 10),
        "wfh": _read_table("wfhanthro.txt", 10),
    }


def round_z_python(z: float) -> float:
    """R >= 4.0 ``round(z, 2)``: nearer 2-decimal neighbour, ties to even; never -0."""
    if math.isnan(z):
        return z
    magnitude = abs(z)
    scaled = magnitude * 100.0
    low_count = math.floor(scaled)
    down = low_count / 100.0
    up = math.ceil(scaled) / 100.0
    above, below = up - magnitude, magnitude - down
    take_up = above < below or (above == below and low_count % 2 == 1)
    return math.copysign(up if take_up else down, z) + 0.0


def _plain_z(y: float, lms: LMS | None) -> float:
    if lms is None or math.isnan(y):
        return NAN
    l, m, s = lms
    return ((y / m) ** l - 1.0) / (s * l)


def _restricted_z(y: float, lms: LMS | None) -> float:
    z = _plain_z(y, lms)
    if lms is None or not abs(z) > RESTRICTED_Z:
        return z
    l, m, s = lms
    sign = 1.0 if z > 0 else -1.0
    sd3 = m * (1.0 + l * s * (sign * 3.0)) ** (1.0 / l)
    sd2 = m * (1.0 + l * s * (sign * 2.0)) ** (1.0 / l)
    return sign * RESTRICTED_Z + (y - sd3) / (sign * (sd3 - sd2))


def _round_half_up(age: float) -> float:
    """Whole days, half up; NaN and infinity pass through."""
    if not math.isfinite(age):
        return age
    whole = math.floor(age)
    return float(whole + (age - whole >= 0.5))


def _positive(x: float) -> float:
    return x if 0.0 < x < math.inf else NAN


def _interpolated(table: Table, sex: int, height: float) -> LMS | None:
    scaled = height * 10.0
    tenth = math.floor(scaled + 1e-9)
    fraction = max(scaled - tenth, 0.0)
    low = table.get((sex, tenth))
    if low is None:
        return None
    high = table.get((sex, tenth + 1), low)
    return tuple(a + fraction * (b - a) for a, b in zip(low, high))  # type: ignore[return-value]


def _weight_for_length(
    sex: int, age: float, age_day: float, measure: int, height: float, weight: float
) -> float:
    if math.isnan(age):
        if measure == MEASURE_UNKNOWN:
            use_height = height >= UNKNOWN_AGE_HEIGHT_FROM_CM
        else:
            use_height = measure == MEASURE_STANDING
    elif age / DAYS_PER_MONTH < MAX_AGE_MONTHS:
        use_height = age_day >= HEIGHT_FROM_DAY
    else:
        return NAN
    low, high = WFH_RANGE_CM if use_height else WFL_RANGE_CM
    if not low <= height <= high:
        return NAN
    table = _tables()["wfh" if use_height else "wfl"]
    return _restricted_z(weight, _interpolated(table, sex, height))


def _flag(z: float, implausible: bool) -> int:
    return FLAG_NOT_COMPUTED if math.isnan(z) else int(implausible)


def score_row_python(
    sex: int,
    age_days: float,
    weight_kg: float,
    lenhei_cm: float,
    measure: int,
    oedema: bool,
    muac_cm: float,
) -> dict[str, float | int]:
    """Score one child; NaN = unknown input or z-score not computed."""
    age = age_days if age_days >= 0.0 else NAN
    age_day = _round_half_up(age)
    months = age / DAYS_PER_MONTH
    if measure not in (MEASURE_LYING, MEASURE_STANDING):
        measure = MEASURE_UNKNOWN
    c9mo = measure == MEASURE_STANDING and months < STANDING_MIN_MONTHS
    if c9mo:
        measure = MEASURE_UNKNOWN

    clenhei = lenhei_cm
    if age_day < HEIGHT_FROM_DAY and measure == MEASURE_STANDING:
        clenhei = lenhei_cm + LENHEI_ADJUST_CM
    elif age_day >= HEIGHT_FROM_DAY and measure == MEASURE_LYING:
        clenhei = lenhei_cm - LENHEI_ADJUST_CM
    height = _positive(clenhei)
    weight = NAN if oedema else _positive(weight_kg)
    bmi = weight / ((height / 100.0) * (height / 100.0))

    day_key = (sex, int(age_day)) if months < MAX_AGE_MONTHS and age_day <= LAST_TABLE_DAY else None
    tables = _tables()

    def by_age(name: str) -> LMS | None:
        return tables[name].get(day_key) if day_key else None  # type: ignore[arg-type]

    waz = round_z_python(_restricted_z(weight, by_age("wei")))
    haz = round_z_python(_plain_z(height, by_age("len")))
    baz = round_z_python(_restricted_z(bmi, by_age("bmi")))
    acz = round_z_python(_restricted_z(_positive(muac_cm), by_age("ac")))
    whz = round_z_python(_weight_for_length(sex, age, age_day, measure, height, weight))
    return {
        "clenhei": clenhei,
        "waz": waz,
        "haz": haz,
        "whz": whz,
        "baz": baz,
        "acz": acz,
        "fwei": _flag(waz, not WAZ_FLAG_RANGE[0] <= waz <= WAZ_FLAG_RANGE[1]),
        "flen": _flag(haz, abs(haz) > HAZ_FLAG_ABS),
        "fwfl": _flag(whz, abs(whz) > OTHER_FLAG_ABS),
        "fbmi": _flag(baz, abs(baz) > OTHER_FLAG_ABS),
        "fac": _flag(acz, abs(acz) > OTHER_FLAG_ABS),
        "c9mo": int(c9mo),
    }
