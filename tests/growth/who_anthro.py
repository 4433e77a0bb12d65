"""WHO's ``anthro`` z-score code, transcribed line for line into scalar Python: the test oracle.

A literal transcription of ``R/z-score.R``, ``R/z-score-helper.R``, ``R/utils.R`` and the
``R/z-score-<indicator>.R`` files of WorldHealthOrganization/anthro (each R statement is
quoted above the line that does it), one child at a time, with its own table reader. The
vectorised engine ``growth.zscores`` must equal it to the last bit; the tests and
``bench/zscores.py`` (as the per-row baseline) use it. It is not part of the portal.

Same conventions and result keys as :func:`growth.zscores.score`. Where the portal
deliberately differs from ``anthro`` (a weight or length <= 0 gives no z-score; age < 0 is
unknown; an unknown sex is row 0), the difference is applied at the input, as the engine does.
"""

from __future__ import annotations

import functools
import math

from growth.zscores import (
    DAYS_PER_MONTH,
    FLAG_NOT_COMPUTED,
    MEASURE_LYING,
    MEASURE_STANDING,
    TABLE_DIR,
)

LMS = tuple[float, float, float]
NAN = math.nan
FILES = {"wei": "weianthro.txt", "len": "lenanthro.txt", "bmi": "bmianthro.txt",
         "ac": "acanthro.txt", "wfl": "wflanthro.txt", "wfh": "wfhanthro.txt"}


@functools.cache
def growthstandards(name: str) -> dict[tuple[int, float], LMS]:
    """{(sex, key as R reads it: a double): (l, m, s)}: R merges on these doubles."""
    table = {}
    with open(TABLE_DIR / FILES[name], encoding="ascii") as lines:
        next(lines)
        for line in lines:
            sex, key, l, m, s = line.split("\t")[:5]
            table[int(sex), float(key)] = (float(l), float(m), float(s))
    return table


def r_round(z: float, digits: int = 2) -> float:
    """R >= 4.0 ``round(z, 2)``: the nearer of the two 2-decimal doubles, ties to even."""
    if math.isnan(z) or math.isinf(z):
        return z
    magnitude = abs(z)
    scaled = magnitude * 10.0**digits
    low_count = math.floor(scaled)
    down, up = low_count / 10.0**digits, math.ceil(scaled) / 10.0**digits
    above, below = up - magnitude, magnitude - down
    take_up = above < below or (above == below and low_count % 2 == 1)
    return math.copysign(up if take_up else down, z) + 0.0


def round_up(x: float) -> float:
    # x_rounded <- floor(x); rest <- x - x_rounded; rounded_up <- rest >= 0.5
    if math.isnan(x):
        return x
    x_rounded = math.floor(x)
    return float(x_rounded + 1) if x - x_rounded >= 0.5 else float(x_rounded)


def compute_zscore(y: float, m: float, l: float, s: float) -> float:
    # ((y / m)^l - 1) / (s * l)
    if any(math.isnan(v) for v in (y, m, l, s)):
        return NAN
    return ((y / m) ** l - 1) / (s * l)


def compute_zscore_adjusted(y: float, m: float, l: float, s: float) -> float:
    zscore = compute_zscore(y, m, l, s)
    if math.isnan(zscore):
        return zscore

    def calc_sd(sd: float) -> float:  # m * ((1 + l * s * sd)^(1 / l))
        return m * ((1 + l * s * sd) ** (1 / l))

    sd3pos, sd3neg = calc_sd(3), calc_sd(-3)
    sd23pos = sd3pos - calc_sd(2)
    sd23neg = calc_sd(-2) - sd3neg
    if zscore > 3:
        return 3 + ((y - sd3pos) / sd23pos)
    if zscore < -3:
        return -3 + ((y - sd3neg) / sd23neg)
    return zscore


def _flag(zscore: float, valid: bool, implausible) -> tuple[float, int]:
    """flag_zscore: zscore[!valid_zscore] <- NA; as.integer(abs(zscore) > threshold)."""
    if not valid or math.isnan(zscore):
        return NAN, FLAG_NOT_COMPUTED
    return zscore, int(implausible(zscore))


def anthro_zscore_adjusted(name: str, measure: float, age_in_days: float, age_in_months: float,
                           sex: int, adjusted: bool = True) -> float:
    """apply_zscore_and_growthstandards + the age validity of anthro_zscore_adjusted."""
    if math.isnan(measure) or measure <= 0:  # measure[measure <= 0] <- NA_real_
        return NAN
    if math.isnan(age_in_days):
        return NAN
    lms = growthstandards(name).get((sex, age_in_days))  # merge(... by age_in_days, sex)
    if lms is None:
        return NAN
    l, m, s = lms
    zscore_fun = compute_zscore_adjusted if adjusted else compute_zscore
    zscore = r_round(zscore_fun(measure, m, l, s))
    # valid_zscore <- !is.na(age_in_days) & age_in_days >= 0 & age_in_days <= 1856 & valid_age
    if not (0 <= age_in_days <= 1856 and age_in_months < 60):
        return NAN
    return zscore


def anthro_zscore_weight_for_lenhei(weight: float, lenhei: float, lenhei_unit: str | None,
                                    age_in_days: float, age_in_months: float, sex: int,
                                    oedema: str) -> float:
    if math.isnan(lenhei):
        return NAN
    # low_lenhei <- trunc(lenhei * 10) / 10; upp_lenhei <- trunc(lenhei * 10 + 1) / 10
    low_lenhei = math.trunc(lenhei * 10) / 10
    upp_lenhei = math.trunc(lenhei * 10 + 1) / 10
    diff_lenhei = (lenhei - low_lenhei) / 0.1
    age_known = not math.isnan(age_in_days)
    join_on_l = ((age_known and age_in_days < 731)
                 or (not age_known and lenhei_unit == "l")
                 or (not age_known and lenhei_unit is None and lenhei < 87))
    join_on_h = ((age_known and age_in_days >= 731)
                 or (not age_known and lenhei_unit == "h")
                 or (not age_known and lenhei_unit is None and lenhei >= 87))
    table = growthstandards("wfl" if join_on_l else "wfh") if (join_on_l or join_on_h) else {}
    lower = table.get((sex, low_lenhei))
    upper = table.get((sex, upp_lenhei))
    if lower is None:
        return NAN
    if diff_lenhei > 0:
        if upper is None:
            return NAN
        # m <- m + diff_lenhei * (m_upper - m), and so for l and s
        l, m, s = (low + diff_lenhei * (upp - low) for low, upp in zip(lower, upper))
    else:
        l, m, s = lower
    zscore = r_round(compute_zscore_adjusted(weight, m, l, s))
    if join_on_l:
        valid = 45 <= lenhei <= 110
    else:
        valid = join_on_h and 65 <= lenhei <= 120
    valid = valid and oedema != "y"
    valid = valid and (not age_known or age_in_days <= 1856)
    valid = valid and not (age_in_months >= 60)  # age_in_months < 60 (unknown age: NA & TRUE)
    return zscore if valid else NAN


def score_row_python(sex: int, age_days: float, weight_kg: float, lenhei_cm: float,
                     measure: int, oedema: bool, muac_cm: float) -> dict[str, float | int]:
    """anthro_zscores for one child; NaN = unknown input or z-score not computed."""
    # The portal's input conventions: age < 0 unknown; weight, length <= 0 or inf unknown.
    age = age_days if age_days >= 0.0 else NAN
    weight = weight_kg if 0.0 < weight_kg < math.inf else NAN
    sex = sex if sex in (1, 2) else 0
    cmeasure = {MEASURE_LYING: "l", MEASURE_STANDING: "h"}.get(measure)
    oedema_yn = "y" if oedema else "n"

    age_in_days = round_up(age)  # as.integer(round_up(age))
    age_in_months = age / DAYS_PER_MONTH  # age / ANTHRO_DAYS_OF_MONTH
    # measure_implausible <- cmeasure == "h" & age_in_months < 9
    measure_implausible = cmeasure == "h" and not math.isnan(age) and age_in_months < 9
    if measure_implausible:
        cmeasure = None
    # adjust_lenhei: < 731 days and "h" -> + 0.7; >= 731 days and "l" -> - 0.7
    clenhei = lenhei_cm
    if not math.isnan(age_in_days) and age_in_days < 731 and cmeasure == "h":
        clenhei = lenhei_cm + 0.7
    elif not math.isnan(age_in_days) and age_in_days >= 731 and cmeasure == "l":
        clenhei = lenhei_cm - 0.7
    height = clenhei if 0.0 < clenhei < math.inf else NAN
    cbmi = weight / ((height / 100) * (height / 100))  # weight / ((clenhei / 100)^2)
    weight_scored = NAN if oedema_yn == "y" else weight  # oedema: no weight-based z-score
    muac = muac_cm if 0.0 < muac_cm < math.inf else NAN

    zlen = anthro_zscore_adjusted("len", height, age_in_days, age_in_months, sex, adjusted=False)
    zwei = anthro_zscore_adjusted("wei", weight_scored, age_in_days, age_in_months, sex)
    zbmi = anthro_zscore_adjusted("bmi", NAN if oedema else cbmi, age_in_days, age_in_months, sex)
    zac = anthro_zscore_adjusted("ac", muac, age_in_days, age_in_months, sex)
    zwfl = anthro_zscore_weight_for_lenhei(weight_scored, height, cmeasure, age_in_days,
                                           age_in_months, sex, oedema_yn)
    waz, fwei = _flag(zwei, True, lambda z: z < -6 or z > 5)
    haz, flen = _flag(zlen, True, lambda z: abs(z) > 6)
    whz, fwfl = _flag(zwfl, True, lambda z: abs(z) > 5)
    baz, fbmi = _flag(zbmi, True, lambda z: abs(z) > 5)
    acz, fac = _flag(zac, True, lambda z: abs(z) > 5)
    return {"clenhei": clenhei, "waz": waz, "haz": haz, "whz": whz, "baz": baz, "acz": acz,
            "fwei": fwei, "flen": flen, "fwfl": fwfl, "fbmi": fbmi, "fac": fac,
            "c9mo": int(measure_implausible)}
