"""The z-scores, their flags and the classes, from the tables (growth.zscores: the method's conventions)."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .tables import *  # noqa: F403 - the method's constants and tables, one namespace with them
from .tables import CodeArray, FloatArray, IntArray, load_tables


def round_z(z: FloatArray) -> FloatArray:
    """Round to 2 decimals exactly as R >= 4.0 ``round(z, 2)`` does; never -0.

    R picks whichever of the two 2-decimal neighbours (as doubles) is nearer
    to z, ties to the even one; this differs from ``np.round`` in rare cases.
    """
    scale = 10.0**Z_DECIMALS
    magnitude = np.abs(z)
    scaled = magnitude * scale
    down = np.floor(scaled) / scale
    up = np.ceil(scaled) / scale
    above = up - magnitude
    below = magnitude - down
    np.copyto(down, up, where=above < below)
    ties = np.flatnonzero(above == below)
    odd = ties[np.fmod(np.floor(scaled[ties]), 2.0) == 1.0]
    down[odd] = up[odd]
    np.copysign(down, z, out=down)
    down += 0.0  # -0.0 becomes 0.0
    return down


def lms_z(y: FloatArray, lms: FloatArray) -> FloatArray:
    """Plain LMS z-score ((y/M)^L - 1) / (S L)."""
    l, m, s = lms
    return ((y / m) ** l - 1.0) / (s * l)


def restricted_z(y: FloatArray, lms: FloatArray) -> FloatArray:
    """LMS z-score with WHO's restricted application beyond +/-3 SD."""
    z = lms_z(y, lms)
    beyond = np.flatnonzero(np.abs(z) > RESTRICTED_Z)
    if beyond.size == 0:
        return z
    y_out, lms_out, z_out = y[beyond], lms[:, beyond], z[beyond]
    sign = np.where(z_out > 0.0, 1.0, -1.0)
    sd3 = _lms_sd_signed(3.0, sign, lms_out)
    sd2 = _lms_sd_signed(2.0, sign, lms_out)
    z[beyond] = sign * RESTRICTED_Z + (y_out - sd3) / (sign * (sd3 - sd2))
    return z


def _lms_sd_signed(k: float, sign: FloatArray, lms: FloatArray) -> FloatArray:
    """Measurement at z = sign k: M (1 + L S (sign k))^(1/L)."""
    l, m, s = lms
    return m * (1.0 + l * s * (sign * k)) ** (1.0 / l)


def _measurement(values: ArrayLike) -> FloatArray:
    """Float array with unknown, non-positive and infinite values as NaN."""
    x = np.asarray(values, dtype=np.float64)
    return np.where((x > 0.0) & (x < np.inf), x, np.nan)


def _age_slot(sex_row: IntArray, age_day: FloatArray, in_range: NDArray[np.bool_]) -> IntArray:
    """Flat index into the age tables; unusable rows point at an empty slot."""
    day = np.where(in_range, age_day, NO_AGE_SLOT).astype(np.intp)
    return sex_row * AGE_SLOTS + day


def round_age_days(age_days: FloatArray) -> FloatArray:
    """Whole days, rounded half up as ``anthro`` does (NaN stays NaN)."""
    whole = np.floor(age_days)
    return whole + ((age_days - whole) >= 0.5)


def adjust_lenhei(
    lenhei_cm: FloatArray, age_day: FloatArray, measure: NDArray[np.int8]
) -> FloatArray:
    """Standing under 731 days +0.7 cm; lying from 731 days -0.7 cm."""
    add = (age_day < HEIGHT_FROM_DAY) & (measure == MEASURE_STANDING)
    subtract = (age_day >= HEIGHT_FROM_DAY) & (measure == MEASURE_LYING)
    adjusted = np.where(add, lenhei_cm + LENHEI_ADJUST_CM, lenhei_cm)
    return np.where(subtract, lenhei_cm - LENHEI_ADJUST_CM, adjusted)


def _length_table(
    age_day: FloatArray, measure: NDArray[np.int8], clenhei: FloatArray
) -> IntArray:
    """TABLE_WFL or TABLE_WFH per row (age, else position, else length < 87 cm)."""
    age_known = ~np.isnan(age_day)
    by_position = np.where(
        measure == MEASURE_UNKNOWN,
        clenhei >= UNKNOWN_AGE_HEIGHT_FROM_CM,
        measure == MEASURE_STANDING,
    )
    use_height = np.where(age_known, age_day >= HEIGHT_FROM_DAY, by_position)
    return use_height.astype(np.intp)


def _in_length_range(table: IntArray, clenhei: FloatArray) -> NDArray[np.bool_]:
    low = np.where(table == TABLE_WFH, WFH_RANGE_CM[0], WFL_RANGE_CM[0])
    high = np.where(table == TABLE_WFH, WFH_RANGE_CM[1], WFL_RANGE_CM[1])
    return (clenhei >= low) & (clenhei <= high)


def _interpolated_lms(
    by_length: FloatArray,
    sex_row: IntArray,
    table: IntArray,
    clenhei: FloatArray,
    usable: NDArray[np.bool_],
) -> FloatArray:
    """L, M, S interpolated as WHO's ``anthro`` does, in the same float64 steps.

    ``low = trunc(h * 10) / 10``, ``upp = trunc(h * 10 + 1) / 10``,
    ``diff = (h - low) / 0.1``; each of L, M, S is ``low + diff * (upp - low)``
    where ``diff > 0``, else the row at ``low``. A row absent from the table
    (e.g. above 120.0 cm) gives NaN, as R's unmatched merge gives NA.
    """
    scaled = clenhei * 10.0
    low_tenth = np.trunc(scaled)
    upp_tenth = np.trunc(scaled + 1.0)
    diff = (clenhei - low_tenth / 10.0) / 0.1
    base = (sex_row * len(LENGTH_TABLE_FILES) + table) * LENGTH_SLOTS
    in_grid = usable & (upp_tenth < LENGTH_SLOTS)
    low = base + np.where(in_grid, low_tenth, NO_LENGTH_SLOT).astype(np.intp)
    upp = base + np.where(in_grid, upp_tenth, NO_LENGTH_SLOT).astype(np.intp)
    lms_low = by_length.take(low, axis=1)
    lms_upp = by_length.take(upp, axis=1)
    return np.where(diff > 0.0, lms_low + diff * (lms_upp - lms_low), lms_low)


def score(
    sex: ArrayLike,
    age_days: ArrayLike,
    weight_kg: ArrayLike,
    lenhei_cm: ArrayLike,
    measure: ArrayLike,
    oedema: ArrayLike,
    muac_cm: ArrayLike,
) -> dict[str, NDArray]:
    """Score children: WHO z-scores, flags and the adjusted length/height.

    Returns clenhei, waz, haz, whz, baz, acz (float64), fwei, flen, fwfl,
    fbmi, fac and c9mo (int8); see the module docstring for conventions.
    Absurd inputs (e.g. 1e-300 cm) give infinite z-scores, flagged, as in R.
    """
    result = scored(sex, age_days, weight_kg, lenhei_cm, measure, oedema, muac_cm)
    return {"clenhei": result.clenhei, **dict(zip(ZSCORE_NAMES, result.z)), **dict(zip(FLAG_NAMES, result.flags)),
            "c9mo": result.c9mo}


class Scored(NamedTuple):
    """`score`'s results with the five z-scores and their flags stacked (first axis in ZSCORE_NAMES and FLAG_NAMES
    order), for a caller that goes on to treat them alike (growth.nutrition.assess)."""

    clenhei: FloatArray
    z: FloatArray
    flags: CodeArray
    c9mo: CodeArray


def scored(*columns: ArrayLike) -> Scored:
    """`score`, stacked (see Scored); the same seven columns, in score's order."""
    with np.errstate(all="ignore"):
        return _score(*columns)


def _score(
    sex: ArrayLike,
    age_days: ArrayLike,
    weight_kg: ArrayLike,
    lenhei_cm: ArrayLike,
    measure: ArrayLike,
    oedema: ArrayLike,
    muac_cm: ArrayLike,
) -> Scored:
    tables = load_tables()
    sex_a, age, weight_raw, lenhei, measure_a, oedema_a, muac = np.broadcast_arrays(
        np.asarray(sex),
        np.asarray(age_days, dtype=np.float64),
        np.asarray(weight_kg, dtype=np.float64),
        np.asarray(lenhei_cm, dtype=np.float64),
        np.asarray(measure, dtype=np.int8),
        np.asarray(oedema, dtype=bool),
        np.asarray(muac_cm, dtype=np.float64),
    )
    age = np.where(age >= 0.0, age, np.nan)
    measure_a = np.where(
        (measure_a == MEASURE_LYING) | (measure_a == MEASURE_STANDING), measure_a, MEASURE_UNKNOWN
    ).astype(np.int8)
    age_day = round_age_days(age)
    months = age / DAYS_PER_MONTH
    sex_row = np.where((sex_a == SEX_MALE) | (sex_a == SEX_FEMALE), sex_a, 0).astype(np.intp)

    c9mo = (measure_a == MEASURE_STANDING) & (months < STANDING_MIN_MONTHS)
    cmeasure = np.where(c9mo, np.int8(MEASURE_UNKNOWN), measure_a)
    clenhei = adjust_lenhei(lenhei, age_day, cmeasure)

    height = _measurement(clenhei)
    weight = _measurement(weight_raw)
    weight_no_oedema = np.where(oedema_a, np.nan, weight)
    bmi = weight_no_oedema / ((height / 100.0) * (height / 100.0))

    under_60 = months < MAX_AGE_MONTHS
    slot = _age_slot(sex_row, age_day, under_60 & (age_day <= LAST_TABLE_DAY)).ravel()
    by_age = tables.by_age
    table = _length_table(age_day, cmeasure, height)
    usable = _in_length_range(table, height) & (under_60 | np.isnan(age))
    wfl_lms = _interpolated_lms(tables.by_length, sex_row, table, height, usable)

    # The five indicators side by side, one NumPy call per step for all of them: a saved measurement is one child,
    # where each call's overhead, not its arithmetic, is the cost (bench/RESULTS.md). Each element goes through the
    # same float64 operations as when scored alone. Rows in ZSCORE_NAMES order: waz, haz, whz, baz, acz.
    shape = weight_no_oedema.shape
    flat = weight_no_oedema.ravel()
    restricted = restricted_z(  # waz, whz, baz, acz: WHO's restricted application beyond +/-3 SD
        np.concatenate([flat, flat, bmi.ravel(), _measurement(muac).ravel()]),
        np.concatenate([by_age["wei"].take(slot, axis=1), wfl_lms.reshape(3, -1),
                        by_age["bmi"].take(slot, axis=1), by_age["ac"].take(slot, axis=1)], axis=1))
    haz = lms_z(height.ravel(), by_age["len"].take(slot, axis=1))
    n = flat.size
    z = round_z(np.concatenate([restricted[:n], haz, restricted[n:]])).reshape(len(ZSCORE_NAMES), *shape)
    return Scored(clenhei, z, _flags(z), c9mo.astype(np.int8))


# WHO's plausibility limits of each z-score, in ZSCORE_NAMES order: |z| > limit, or outside the range for waz.
_FLAG_LOW = np.array([WAZ_FLAG_RANGE[0], -HAZ_FLAG_ABS, -OTHER_FLAG_ABS, -OTHER_FLAG_ABS, -OTHER_FLAG_ABS])
_FLAG_HIGH = np.array([WAZ_FLAG_RANGE[1], HAZ_FLAG_ABS, OTHER_FLAG_ABS, OTHER_FLAG_ABS, OTHER_FLAG_ABS])


def _flags(z: FloatArray) -> CodeArray:
    """WHO's implausibility flag of each z-score (fwei, flen, fwfl, fbmi, fac), for `z` stacked in ZSCORE_NAMES
    order (first axis); FLAG_NOT_COMPUTED where the z-score is NaN."""
    limits = (len(ZSCORE_NAMES),) + (1,) * (z.ndim - 1)
    flags = ((z < _FLAG_LOW.reshape(limits)) | (z > _FLAG_HIGH.reshape(limits))).astype(np.int8)
    flags[np.isnan(z)] = FLAG_NOT_COMPUTED
    return flags


def classify_z(z: ArrayLike) -> CodeArray:
    """Stunting (haz), wasting (whz) or underweight (waz) class per z-score.

    CLASS_SEVERE if z < -3, CLASS_MODERATE if -3 <= z < -2, CLASS_NORMAL
    otherwise, CLASS_UNKNOWN where z is NaN (as for oedema, which has no
    weight-based z: :func:`classify_acute` counts it as SAM).
    """
    z_a = np.asarray(z, dtype=np.float64)
    codes = np.where(
        z_a < SEVERE_Z, CLASS_SEVERE, np.where(z_a < MODERATE_Z, CLASS_MODERATE, CLASS_NORMAL)
    ).astype(np.int8)
    codes[np.isnan(z_a)] = CLASS_UNKNOWN
    return codes


def classify_acute(
    age_days: ArrayLike, whz: ArrayLike, muac_cm: ArrayLike, oedema: ArrayLike
) -> CodeArray:
    """Acute malnutrition: CLASS_SEVERE (SAM), CLASS_MODERATE (MAM), CLASS_NORMAL.

    SAM: whz < -3, MUAC < 11.5 cm or oedema; MAM: -3 <= whz < -2 or
    11.5 <= MUAC < 12.5 cm. MUAC counts only from 6 to under 60 months of age
    (age / 30.4375, unrounded; not when age is unknown); under 6 months whz
    and oedema still count. CLASS_UNKNOWN when nothing can be assessed or age
    is 60 months or more.
    """
    age = np.asarray(age_days, dtype=np.float64)
    whz_a = np.asarray(whz, dtype=np.float64)
    oedema_a = np.asarray(oedema, dtype=bool)
    months = age / DAYS_PER_MONTH
    muac_usable = (months >= MUAC_MIN_MONTHS) & (months < MAX_AGE_MONTHS)
    muac = np.where(muac_usable, _measurement(muac_cm), np.nan)

    severe = oedema_a | (whz_a < SEVERE_Z) | (muac < MUAC_SEVERE_CM)
    moderate = (whz_a < MODERATE_Z) | (muac < MUAC_MODERATE_CM)
    assessed = oedema_a | ~np.isnan(whz_a) | ~np.isnan(muac)
    # The first that holds of severe, moderate, assessed (np.select's rule, in nested np.where: a third of the cost
    # for one child).
    codes = np.where(
        severe, CLASS_SEVERE, np.where(moderate, CLASS_MODERATE, np.where(assessed, CLASS_NORMAL, CLASS_UNKNOWN))
    ).astype(np.int8)
    codes[months >= MAX_AGE_MONTHS] = CLASS_UNKNOWN
    return codes
