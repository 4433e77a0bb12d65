"""The nightly job's decisions for one chunk, without a database: status and follow-up reasons."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pytest

from growth.flagging import rules
from growth.flagging.rules import REASONS, ChunkInput, RunDay, Visit
from growth.nutrition import MEASURE_CODES
from growth.zscores import CLASS_MODERATE, CLASS_SEVERE, CLASS_UNKNOWN

RUN = RunDay(date(2026, 11, 27))
DOB = date(2025, 5, 1)  # about 19 months on the run day


@dataclass
class V:
    on: date
    weight: float
    lenhei: float | None = None
    muac: float | None = None
    oedema: bool = False


def _visits(rows: list[V | None], first_id: int) -> Visit:
    visit = rules.empty_visit(len(rows))
    for i, v in enumerate(rows):
        if v is None:
            continue
        visit.id[i] = first_id + i
        visit.day[i] = rules.day_number(v.on)
        visit.weight[i] = v.weight
        visit.lenhei[i] = np.nan if v.lenhei is None else v.lenhei
        visit.measure[i] = MEASURE_CODES["l"] if v.lenhei is not None else 0
        visit.oedema[i] = v.oedema
        visit.muac[i] = np.nan if v.muac is None else v.muac
    return visit


def chunk(*children: tuple[V | None, V | None], dob: date = DOB) -> ChunkInput:
    n = len(children)
    return ChunkInput(
        child_id=np.arange(1, n + 1, dtype=np.int64), awc_id=np.full(n, 7, np.int64), sex=np.full(n, 2, np.int8),
        dob_day=np.full(n, rules.day_number(dob), np.int32),
        latest=_visits([c[0] for c in children], 100), previous=_visits([c[1] for c in children], 200),
    )


def reasons_of(result, child_id: int = 1) -> set[str]:
    f = result.followups
    return {REASONS[r] for c, r in zip(f.child_id.tolist(), f.reason.tolist()) if c == child_id}


NOV, OCT, AUG = date(2026, 11, 10), date(2026, 10, 10), date(2026, 8, 10)
WELL = dict(weight=10.5, lenhei=81.0)       # girl of ~18 months: normal
STUNTED = dict(weight=8.8, lenhei=73.0)     # HAZ −2.44 in October, −2.75 in November; WHZ normal
SEVERELY_STUNTED = dict(weight=8.2, lenhei=70.5)  # HAZ −3.61 in November; −2.67 in August


def test_child_who_became_stunted_is_flagged_with_the_measurement_month():
    result = rules.evaluate(chunk((V(NOV, **STUNTED), V(OCT, **WELL))), RUN)
    assert "stunted" in reasons_of(result)
    f = result.followups
    row = REASONS.index("stunted") == f.reason
    assert rules.from_day_number(int(f.month_day[row][0])) == date(2026, 11, 1)
    assert f.measurement_id[row][0] == 100


def test_child_already_stunted_is_not_flagged_again():
    result = rules.evaluate(chunk((V(NOV, **STUNTED), V(OCT, **STUNTED))), RUN)
    assert "stunted" not in reasons_of(result)


def test_moderate_to_severe_stunting_is_flagged_as_worsening():
    result = rules.evaluate(chunk((V(NOV, **SEVERELY_STUNTED), V(OCT, **STUNTED))), RUN)
    f = result.followups
    row = f.reason == REASONS.index("stunted")
    assert f.severity[row].tolist() == [CLASS_SEVERE]


def test_first_measurement_showing_stunting_is_newly_stunted():
    assert "stunted" in reasons_of(rules.evaluate(chunk((V(NOV, **STUNTED), None)), RUN))


def test_child_who_became_wasted_is_flagged():
    result = rules.evaluate(chunk((V(NOV, weight=8.4, lenhei=81.0), V(OCT, **WELL))), RUN)  # WHZ −2.37
    assert "wasted" in reasons_of(result)


def test_child_who_became_underweight_is_flagged():
    result = rules.evaluate(chunk((V(NOV, weight=8.0, lenhei=69.5), V(OCT, **STUNTED))), RUN)  # WAZ −2.12
    assert "underweight" in reasons_of(result)


def test_sam_by_muac_is_flagged_when_new():
    result = rules.evaluate(chunk((V(NOV, **WELL, muac=11.0), V(OCT, **WELL, muac=13.5))), RUN)
    assert "sam" in reasons_of(result)
    assert result.status.acute[0] == CLASS_SEVERE


def test_sam_by_oedema_is_flagged():
    assert "sam" in reasons_of(rules.evaluate(chunk((V(NOV, **WELL, oedema=True), V(OCT, **WELL))), RUN))


def test_child_still_sam_is_not_flagged_again():
    result = rules.evaluate(chunk((V(NOV, **WELL, muac=11.0), V(OCT, **WELL, muac=11.2))), RUN)
    assert "sam" not in reasons_of(result)


def test_waz_drop_of_more_than_half_is_faltering():
    result = rules.evaluate(chunk((V(NOV, weight=9.6, lenhei=81.0), V(OCT, weight=10.5, lenhei=80.5))), RUN)
    assert result.status.waz_change[0] < -0.5
    assert bool(result.status.faltering[0])
    assert "faltering" in reasons_of(result)


def test_waz_drop_of_exactly_half_is_not_faltering():
    # WAZ 0.26 in October (10.42 kg), −0.24 in November (10.0 kg): a change of exactly −0.50.
    result = rules.evaluate(chunk((V(NOV, weight=10.0, lenhei=81.0), V(OCT, weight=10.42, lenhei=80.5))), RUN)
    assert result.status.waz_change[0] == -0.5
    assert not result.status.faltering[0]
    assert "faltering" not in reasons_of(result)


def test_no_faltering_without_a_previous_measurement():
    result = rules.evaluate(chunk((V(NOV, **WELL), None)), RUN)
    assert not result.status.faltering[0]
    assert np.isnan(result.status.waz_change[0])


def test_child_not_weighed_this_month_is_flagged_after_the_16th():
    result = rules.evaluate(chunk((V(OCT, **WELL), None)), RUN)
    assert reasons_of(result) == {"not_weighed"}
    assert rules.from_day_number(int(result.followups.month_day[0])) == date(2026, 11, 1)
    assert result.followups.measurement_id[0] == 0


def test_never_weighed_child_is_flagged_as_not_weighed():
    assert reasons_of(rules.evaluate(chunk((None, None)), RUN)) == {"not_weighed"}


def test_not_weighed_is_not_checked_before_the_16th():
    early = RunDay(date(2026, 11, rules.NOT_WEIGHED_FROM_DAY - 1))
    assert reasons_of(rules.evaluate(chunk((V(OCT, **WELL), None)), early)) == set()


def test_child_born_this_month_is_not_flagged_as_not_weighed():
    assert reasons_of(rules.evaluate(chunk((None, None), dob=date(2026, 11, 5)), RUN)) == set()


def test_child_weighed_this_month_is_not_flagged_as_not_weighed():
    assert "not_weighed" not in reasons_of(rules.evaluate(chunk((V(NOV, **WELL), None)), RUN))


def test_old_measurements_raise_no_follow_up():
    result = rules.evaluate(chunk((V(AUG, **SEVERELY_STUNTED), V(AUG - timedelta(days=30), **WELL))), RUN)
    assert reasons_of(result) == {"not_weighed"}
    assert result.status.stunting[0] == CLASS_MODERATE


def test_implausible_latest_asks_for_remeasurement_and_counts_as_unknown():
    result = rules.evaluate(chunk((V(NOV, weight=3.0, lenhei=81.0), V(OCT, **WELL))), RUN)
    assert "remeasure" in reasons_of(result)
    assert result.status.is_implausible[0]
    assert result.status.underweight[0] == CLASS_UNKNOWN
    assert not result.status.faltering[0]


def test_status_of_a_child_without_measurements_is_unknown():
    status = rules.evaluate(chunk((None, None)), RUN).status
    assert status.measurement_id[0] == 0 and status.measured_day[0] == rules.NO_DAY
    assert status.stunting[0] == CLASS_UNKNOWN and not status.is_implausible[0]


def test_same_input_gives_same_output():
    data = chunk((V(NOV, **STUNTED), V(OCT, **WELL)), (None, None), (V(NOV, **WELL, muac=11.0), None))
    first, second = rules.evaluate(data, RUN), rules.evaluate(data, RUN)
    for name in rules.FollowUpRows.COLUMNS:
        np.testing.assert_array_equal(getattr(first.followups, name), getattr(second.followups, name))
