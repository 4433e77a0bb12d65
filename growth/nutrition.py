"""From raw measurements to z-scores, plausibility and classification — pure NumPy, no Django.

One function, :func:`assess`, is used for one child when a measurement is saved, for a
chunk of children in the nightly job, and for demo data, so all three agree.

Implausible z-scores (beyond WHO's flags) are kept but classify as unknown, so they
never count in prevalence; acute malnutrition still counts oedema and MUAC.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from growth.zscores import (
    CLASS_UNKNOWN,
    FLAG_NAMES,
    MEASURE_LYING,
    MEASURE_STANDING,
    MEASURE_UNKNOWN,
    SEX_FEMALE,
    SEX_MALE,
    classify_acute,
    classify_z,
    scored,
)

# Bits of the stored `flags` (growth.models.Flag mirrors them).
FLAG_BITS = {"fwei": 1, "flen": 2, "fwfl": 4, "fbmi": 8, "fac": 16}
FLAG_WEIGHTS = np.array([FLAG_BITS[name] for name in FLAG_NAMES], dtype=np.int16)  # in the order score stacks them
C9MO_BIT = 32
IMPLAUSIBLE_MASK = 1 | 2 | 4 | 8 | 16

SEX_CODES = {"M": SEX_MALE, "F": SEX_FEMALE}
MEASURE_CODES = {"l": MEASURE_LYING, "h": MEASURE_STANDING, "": MEASURE_UNKNOWN}


@dataclass(frozen=True)
class Classified:
    """The z-scores that classify and the four classes, one entry per child (NaN / CLASS_UNKNOWN where not
    computed): what an assessment decides and what a child's status keeps of it."""

    waz: NDArray[np.float64]
    haz: NDArray[np.float64]
    whz: NDArray[np.float64]
    underweight: NDArray[np.int8]
    stunting: NDArray[np.int8]
    wasting: NDArray[np.int8]
    acute: NDArray[np.int8]


@dataclass(frozen=True)
class Assessment(Classified):
    """Column arrays, one entry per child (NaN where not computed): the classified ones, the adjusted
    length/height, the other z-scores and the flags."""

    clenhei: NDArray[np.float64]
    baz: NDArray[np.float64]
    acz: NDArray[np.float64]
    flags: NDArray[np.int16]

    @property
    def implausible(self) -> NDArray[np.bool_]:
        return (self.flags & IMPLAUSIBLE_MASK) != 0

    def plausible_waz(self) -> NDArray[np.float64]:
        return np.where((self.flags & FLAG_BITS["fwei"]) != 0, np.nan, self.waz)

    def row(self, i: int = 0) -> dict[str, float | int | None]:
        """One child's values as plain Python (None for NaN), for saving a model."""
        out: dict[str, float | int | None] = {}
        for name in ("clenhei", "waz", "haz", "whz", "baz", "acz"):
            value = float(getattr(self, name)[i])
            out[name] = None if np.isnan(value) else value
        for name in ("flags", "underweight", "stunting", "wasting", "acute"):
            out[name] = int(getattr(self, name)[i])
        out["is_implausible"] = bool(self.implausible[i])
        return out


def assess(
    sex: ArrayLike,
    age_days: ArrayLike,
    weight_kg: ArrayLike,
    lenhei_cm: ArrayLike,
    measure: ArrayLike,
    oedema: ArrayLike,
    muac_cm: ArrayLike,
) -> Assessment:
    """Score (growth.zscores.score) and classify; arguments as for `score`."""
    result = scored(sex, age_days, weight_kg, lenhei_cm, measure, oedema, muac_cm)
    implausible = result.flags == 1  # the five, in ZSCORE_NAMES order (waz, haz, whz, baz, acz)
    shape = result.z.shape[1:]
    flags = (FLAG_WEIGHTS @ implausible.reshape(len(FLAG_WEIGHTS), -1)).reshape(shape).astype(np.int16)
    flags |= np.where(result.c9mo == 1, C9MO_BIT, 0).astype(np.int16)
    plausible = np.where(implausible, np.nan, result.z)
    underweight, stunting, wasting = classify_z(plausible[:3])  # waz, haz, whz: one call for the three
    muac = np.where(np.broadcast_to(implausible[4], shape), np.nan, np.asarray(muac_cm, dtype=np.float64))
    acute = classify_acute(age_days, plausible[2], muac, oedema)
    waz, haz, whz, baz, acz = result.z
    return Assessment(
        clenhei=result.clenhei, waz=waz, haz=haz, whz=whz, baz=baz, acz=acz, flags=flags,
        acute=np.broadcast_to(acute, shape).astype(np.int8), underweight=underweight, stunting=stunting,
        wasting=wasting,
    )


def assess_one(*, sex: str, age_days: int, weight_kg: float, lenhei_cm: float | None, measure: str,
               oedema: bool, muac_cm: float | None) -> dict[str, float | int | None]:
    """One child, from the model's own codes ('M'/'F', 'l'/'h'/'')."""
    result = assess(
        [SEX_CODES.get(sex, 0)], [float(age_days)], [float(weight_kg)],
        [np.nan if lenhei_cm is None else float(lenhei_cm)], [MEASURE_CODES.get(measure, MEASURE_UNKNOWN)],
        [bool(oedema)], [np.nan if muac_cm is None else float(muac_cm)],
    )
    return result.row(0)


def is_known(codes: NDArray[np.int8]) -> NDArray[np.bool_]:
    return codes != CLASS_UNKNOWN
