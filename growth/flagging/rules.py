"""What the nightly job decides for a chunk of children — pure NumPy, no Django, no database.

Input: per child, the latest and the previous measurement (raw values, as arrays).
Output: each child's status (latest z-scores and classes, faltering) and the follow-up
rows to add. Everything is derived from the measurements and the run day alone, so a
re-run for the same day gives the same answer.

Rules (documented choices):
- "Newly" stunted / wasted / underweight: the latest measurement's class is moderate or
  severe and worse than the previous measurement's (no previous, or not assessed, counts
  as not classified). Moderate → severe is flagged again, as a worsening.
- SAM: the latest measurement is SAM (WHZ < −3, MUAC < 11.5 cm from 6 months, or oedema)
  and the previous one was not.
- Growth faltering: weight-for-age z fell by more than 0.5 (rounded to 2 decimals) from the
  previous measurement to the latest. WAZ because weight is measured every month and is the
  indicator the growth card plots; implausible values never count.
- Re-measure: the latest measurement has an implausible z-score.
- The four above come from a measurement and belong to its month; only measurements of
  the run's month and the month before raise them (older data does not flood the list).
- Not weighed this month: from NOT_WEIGHED_FROM_DAY of the month, a child born before the
  month with no measurement in it. Earlier in the month weighing is still under way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from growth.nutrition import Assessment, Classified, assess
from growth.zscores import CLASS_MODERATE, CLASS_SEVERE, CLASS_UNKNOWN

EPOCH = date(1970, 1, 1)
NO_DAY = -1
FALTERING_DROP = 0.5
NOT_WEIGHED_FROM_DAY = 16
RECENT_MONTHS = 2  # the run's month and the one before

# Follow-up reasons by index (1-based in SQL arrays); the codes are FollowUp.Reason values.
REASONS = ("stunted", "wasted", "underweight", "sam", "faltering", "not_weighed", "remeasure")
REASON_INDEX = {code: i for i, code in enumerate(REASONS)}
NEWLY = (("stunted", "stunting"), ("wasted", "wasting"), ("underweight", "underweight"))


def day_number(d: date) -> int:
    return (d - EPOCH).days


def from_day_number(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def status_moves_forward(stored_on: date | None, new_on: date | None) -> bool:
    """A status only moves forward in time: never replace one computed from a newer measurement.

    The PostgreSQL upsert says the same in SQL (`pg.UPSERT_STATUS_SQL`).
    """
    return stored_on is None or (new_on is not None and new_on >= stored_on)


def month_start_days(days: NDArray[np.int32]) -> NDArray[np.int32]:
    """First day of each day's month, as day numbers."""
    as_dates = days.astype("datetime64[D]")
    return as_dates.astype("datetime64[M]").astype("datetime64[D]").astype(np.int32)


@dataclass(frozen=True)
class RunDay:
    """The run's day and the month boundaries derived from it."""

    on: date

    @property
    def day(self) -> int:
        return day_number(self.on)

    @property
    def month(self) -> date:
        return self.on.replace(day=1)

    @property
    def recent_from(self) -> date:
        first = self.month
        for _ in range(RECENT_MONTHS - 1):
            first = (first - timedelta(days=1)).replace(day=1)
        return first

    @property
    def checks_not_weighed(self) -> bool:
        return self.on.day >= NOT_WEIGHED_FROM_DAY


@dataclass
class Visit:
    """One measurement per child (id 0 = none), raw values."""

    id: NDArray[np.int64]
    day: NDArray[np.int32]
    weight: NDArray[np.float64]
    lenhei: NDArray[np.float64]
    measure: NDArray[np.int8]
    oedema: NDArray[np.bool_]
    muac: NDArray[np.float64]

    @property
    def present(self) -> NDArray[np.bool_]:
        return self.id > 0


@dataclass
class ChunkInput:
    child_id: NDArray[np.int64]
    awc_id: NDArray[np.int64]
    sex: NDArray[np.int8]
    dob_day: NDArray[np.int32]
    latest: Visit
    previous: Visit

    def __len__(self) -> int:
        return len(self.child_id)


@dataclass(frozen=True)
class StatusRows(Classified):
    """Each child's status: the latest assessment's classified z-scores and classes, and what they mean."""

    child_id: NDArray[np.int64]
    awc_id: NDArray[np.int64]
    measurement_id: NDArray[np.int64]
    measured_day: NDArray[np.int32]
    weight: NDArray[np.float64]  # the latest measurement's values (NaN where none was taken)
    lenhei: NDArray[np.float64]
    muac: NDArray[np.float64]
    is_implausible: NDArray[np.bool_]
    faltering: NDArray[np.bool_]
    waz_change: NDArray[np.float64]

    COLUMNS = ("child_id", "awc_id", "measurement_id", "measured_day", "weight", "lenhei", "muac", "waz", "haz", "whz",
               "underweight", "stunting", "wasting", "acute", "is_implausible", "faltering", "waz_change")


@dataclass
class FollowUpRows:
    child_id: NDArray[np.int64] = field(default_factory=lambda: np.empty(0, np.int64))
    awc_id: NDArray[np.int64] = field(default_factory=lambda: np.empty(0, np.int64))
    reason: NDArray[np.int16] = field(default_factory=lambda: np.empty(0, np.int16))
    month_day: NDArray[np.int32] = field(default_factory=lambda: np.empty(0, np.int32))
    measurement_id: NDArray[np.int64] = field(default_factory=lambda: np.empty(0, np.int64))
    severity: NDArray[np.int8] = field(default_factory=lambda: np.empty(0, np.int8))
    z_change: NDArray[np.float64] = field(default_factory=lambda: np.empty(0, np.float64))

    COLUMNS = ("child_id", "awc_id", "reason", "month_day", "measurement_id", "severity", "z_change")

    def __len__(self) -> int:
        return len(self.child_id)


@dataclass
class ChunkResult:
    status: StatusRows
    followups: FollowUpRows
    measured: int


def _assess(data: ChunkInput, visit: Visit) -> Assessment:
    age = np.where(visit.present, (visit.day - data.dob_day).astype(np.float64), np.nan)
    return assess(data.sex, age, visit.weight, visit.lenhei, visit.measure, visit.oedema, visit.muac)


def _newly(latest: NDArray[np.int8], previous: NDArray[np.int8]) -> NDArray[np.bool_]:
    return (latest >= CLASS_MODERATE) & (latest > previous)


def evaluate(data: ChunkInput, run: RunDay) -> ChunkResult:
    """Statuses and follow-ups for one chunk (see the module docstring for the rules)."""
    now, prev = data.latest, data.previous
    a_now, a_prev = _assess(data, now), _assess(data, prev)
    waz_now, waz_prev = a_now.plausible_waz(), a_prev.plausible_waz()
    with np.errstate(invalid="ignore"):
        waz_change = np.round(waz_now - waz_prev, 2)
        faltering = now.present & prev.present & (waz_change < -FALTERING_DROP)
    status = StatusRows(
        child_id=data.child_id, awc_id=data.awc_id, measurement_id=now.id,
        measured_day=np.where(now.present, now.day, NO_DAY).astype(np.int32),
        weight=now.weight, lenhei=now.lenhei, muac=now.muac,
        waz=a_now.waz, haz=a_now.haz, whz=a_now.whz, underweight=a_now.underweight, stunting=a_now.stunting,
        wasting=a_now.wasting, acute=a_now.acute, is_implausible=a_now.implausible & now.present,
        faltering=faltering, waz_change=np.where(now.present & prev.present, waz_change, np.nan),
    )
    recent = now.present & (now.day >= day_number(run.recent_from))
    prev_class = {name: np.where(prev.present, getattr(a_prev, name), CLASS_UNKNOWN) for _, name in NEWLY}
    masks: dict[str, NDArray[np.bool_]] = {}
    severity: dict[str, NDArray[np.int8]] = {}
    for reason, name in NEWLY:
        masks[reason] = recent & _newly(getattr(a_now, name), prev_class[name])
        severity[reason] = getattr(a_now, name)
    prev_acute = np.where(prev.present, a_prev.acute, CLASS_UNKNOWN)
    masks["sam"] = recent & (a_now.acute == CLASS_SEVERE) & (prev_acute != CLASS_SEVERE)
    severity["sam"] = a_now.acute
    masks["faltering"] = recent & faltering
    masks["remeasure"] = recent & status.is_implausible
    month = day_number(run.month)
    weighed_this_month = now.present & (now.day >= month)
    masks["not_weighed"] = np.full(len(data), run.checks_not_weighed) & ~weighed_this_month & (data.dob_day < month)
    measured_month = np.where(now.present, month_start_days(np.where(now.present, now.day, 0)), month)
    followups = _followup_rows(data, status, masks, severity, measured_month, month, waz_change)
    return ChunkResult(status=status, followups=followups, measured=int(now.present.sum()))


def _followup_rows(data: ChunkInput, status: StatusRows, masks: dict[str, NDArray[np.bool_]],
                   severity: dict[str, NDArray[np.int8]], measured_month: NDArray[np.int32], month: int,
                   waz_change: NDArray[np.float64]) -> FollowUpRows:
    parts: list[FollowUpRows] = []
    for reason in REASONS:
        rows = np.flatnonzero(masks[reason])
        if rows.size == 0:
            continue
        from_measurement = reason != "not_weighed"
        parts.append(FollowUpRows(
            child_id=data.child_id[rows], awc_id=data.awc_id[rows],
            reason=np.full(rows.size, REASON_INDEX[reason], np.int16),
            month_day=(measured_month[rows] if from_measurement else np.full(rows.size, month)).astype(np.int32),
            measurement_id=status.measurement_id[rows] if from_measurement else np.zeros(rows.size, np.int64),
            severity=(severity[reason][rows] if reason in severity
                      else np.full(rows.size, CLASS_UNKNOWN)).astype(np.int8),
            z_change=waz_change[rows] if reason == "faltering" else np.full(rows.size, np.nan),
        ))
    if not parts:
        return FollowUpRows()
    return FollowUpRows(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in FollowUpRows.COLUMNS})


def empty_visit(n: int) -> Visit:
    return Visit(id=np.zeros(n, np.int64), day=np.full(n, NO_DAY, np.int32), weight=np.full(n, np.nan),
                 lenhei=np.full(n, np.nan), measure=np.zeros(n, np.int8), oedema=np.zeros(n, bool),
                 muac=np.full(n, np.nan))
