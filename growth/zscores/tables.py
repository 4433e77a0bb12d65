"""The WHO growth-standard tables as dense LMS arrays, and the constants of the method (growth.zscores)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
CodeArray = NDArray[np.int8]

TABLE_DIR = Path(__file__).resolve().parent.parent / "who"

SEX_MALE = 1
SEX_FEMALE = 2
MEASURE_UNKNOWN = 0
MEASURE_LYING = 1
MEASURE_STANDING = 2
FLAG_NOT_COMPUTED = -1

DAYS_PER_MONTH = 30.4375
MAX_AGE_MONTHS = 60.0
STANDING_MIN_MONTHS = 9.0
HEIGHT_FROM_DAY = 731
LENHEI_ADJUST_CM = 0.7
UNKNOWN_AGE_HEIGHT_FROM_CM = 87.0
WFL_RANGE_CM = (45.0, 110.0)
WFH_RANGE_CM = (65.0, 120.0)
RESTRICTED_Z = 3.0
Z_DECIMALS = 2
HAZ_FLAG_ABS = 6.0
WAZ_FLAG_RANGE = (-6.0, 5.0)
OTHER_FLAG_ABS = 5.0

ZSCORE_NAMES = ("waz", "haz", "whz", "baz", "acz")
FLAG_NAMES = ("fwei", "flen", "fwfl", "fbmi", "fac")

LAST_TABLE_DAY = 1826
AGE_SLOTS = LAST_TABLE_DAY + 2  # days 0..1826 plus one always-empty slot
NO_AGE_SLOT = LAST_TABLE_DAY + 1
LENGTH_SLOTS = 1202  # tenths of cm 0..1201 (1201, above 120.0 cm, stays empty)
NO_LENGTH_SLOT = 0  # 0.0 cm: empty in both tables, as is its neighbour 0.1 cm
TABLE_WFL = 0
TABLE_WFH = 1
SEX_ROWS = 3  # row 0 (unknown sex) stays empty

AGE_TABLE_FILES = {
    "wei": "weianthro.txt",
    "len": "lenanthro.txt",
    "bmi": "bmianthro.txt",
    "ac": "acanthro.txt",
}
LENGTH_TABLE_FILES = {TABLE_WFL: "wflanthro.txt", TABLE_WFH: "wfhanthro.txt"}

# Acute-malnutrition and z-score classification codes.
CLASS_UNKNOWN = -1
CLASS_NORMAL = 0
CLASS_MODERATE = 1
CLASS_SEVERE = 2
MODERATE_Z = -2.0
SEVERE_Z = -3.0
MUAC_SEVERE_CM = 11.5
MUAC_MODERATE_CM = 12.5
MUAC_MIN_MONTHS = 6.0


@dataclass(frozen=True)
class Tables:
    """Dense LMS arrays, shape (3 [l, m, s], slots), ready for fancy indexing.

    Age tables are flat over (sex row, day); the length table is flat over
    (sex row, table, tenth of a cm). Cells absent from WHO's files are NaN.
    """

    by_age: dict[str, FloatArray]
    by_length: FloatArray


def _read_rows(name: str) -> FloatArray:
    """Rows (sex, key, l, m, s) of one WHO table file."""
    return np.loadtxt(TABLE_DIR / name, skiprows=1, usecols=range(5), ndmin=2)


def _dense_by_age(name: str) -> FloatArray:
    rows = _read_rows(name)
    dense = np.full((3, SEX_ROWS, AGE_SLOTS), np.nan)
    dense[:, rows[:, 0].astype(np.intp), rows[:, 1].astype(np.intp)] = rows[:, 2:5].T
    return dense.reshape(3, -1)


def _dense_by_length() -> FloatArray:
    dense = np.full((3, SEX_ROWS, len(LENGTH_TABLE_FILES), LENGTH_SLOTS), np.nan)
    for table, name in LENGTH_TABLE_FILES.items():
        rows = _read_rows(name)
        sex = rows[:, 0].astype(np.intp)
        tenth = np.rint(rows[:, 1] * 10).astype(np.intp)
        dense[:, sex, table, tenth] = rows[:, 2:5].T
    return dense.reshape(3, -1)


@functools.cache
def load_tables() -> Tables:
    """Read the six WHO tables once (cached for the process)."""
    by_age = {key: _dense_by_age(name) for key, name in AGE_TABLE_FILES.items()}
    return Tables(by_age=by_age, by_length=_dense_by_length())
