"""Classification of a measurement: z boundaries at −2/−3 exactly, MUAC at 11.5/12.5, oedema,
and implausible values kept out of every class. Pure NumPy, no database."""
from __future__ import annotations

import math

import pytest

from growth.nutrition import assess_one
from growth.zscores import CLASS_MODERATE, CLASS_NORMAL, CLASS_SEVERE, CLASS_UNKNOWN

# Girls: weights and lengths that score exactly −2.00 / −3.00 (found with the engine, 2-decimal z).
WAZ_MINUS_2 = (201, 5.9)
WAZ_MINUS_3 = (202, 5.25)
HAZ_MINUS_2 = (400, 70.1)
HAZ_MINUS_3 = (401, 67.5)


def girl(age_days: int, weight: float, lenhei: float | None = None, *, measure: str = "l",
         muac: float | None = None, oedema: bool = False) -> dict:
    return assess_one(sex="F", age_days=age_days, weight_kg=weight, lenhei_cm=lenhei,
                      measure=measure if lenhei is not None else "", oedema=oedema, muac_cm=muac)


def test_waz_of_exactly_minus_two_is_normal():
    result = girl(*WAZ_MINUS_2)
    assert result["waz"] == -2.0
    assert result["underweight"] == CLASS_NORMAL


def test_waz_just_below_minus_two_is_moderate():
    age, weight = WAZ_MINUS_2
    result = girl(age, weight - 0.05)
    assert result["waz"] < -2.0
    assert result["underweight"] == CLASS_MODERATE


def test_waz_of_exactly_minus_three_is_moderate():
    result = girl(*WAZ_MINUS_3)
    assert result["waz"] == -3.0
    assert result["underweight"] == CLASS_MODERATE


def test_waz_just_below_minus_three_is_severe():
    age, weight = WAZ_MINUS_3
    result = girl(age, weight - 0.05)
    assert result["underweight"] == CLASS_SEVERE


def test_haz_of_exactly_minus_two_is_normal_height():
    age, length = HAZ_MINUS_2
    result = girl(age, 8.0, length)
    assert result["haz"] == -2.0
    assert result["stunting"] == CLASS_NORMAL


def test_haz_of_exactly_minus_three_is_moderate_stunting():
    age, length = HAZ_MINUS_3
    result = girl(age, 8.0, length)
    assert result["haz"] == -3.0
    assert result["stunting"] == CLASS_MODERATE


def test_haz_just_below_minus_three_is_severe_stunting():
    age, length = HAZ_MINUS_3
    assert girl(age, 8.0, length - 0.1)["stunting"] == CLASS_SEVERE


@pytest.mark.parametrize(("muac", "expected"), [
    (11.4, CLASS_SEVERE), (11.5, CLASS_MODERATE), (12.4, CLASS_MODERATE), (12.5, CLASS_NORMAL),
])
def test_muac_cut_offs_from_six_months(muac: float, expected: int):
    # 2 years, 83 cm and 11 kg: weight-for-height normal, so MUAC alone decides.
    result = girl(730, 11.0, 83.0, muac=muac)
    assert result["whz"] > -2
    assert result["acute"] == expected


def test_muac_is_not_used_under_six_months():
    assert girl(150, 6.0, 62.0, muac=10.0)["acute"] == CLASS_NORMAL


def test_oedema_is_sam_without_weight_based_scores():
    result = girl(730, 11.0, 83.0, oedema=True, muac=13.5)
    assert result["acute"] == CLASS_SEVERE
    assert result["waz"] is None and result["whz"] is None
    assert result["underweight"] == CLASS_UNKNOWN


def test_implausible_weight_is_flagged_and_not_classified():
    result = girl(730, 3.0, 83.0)  # 3 kg at 2 years: WAZ far beyond −6
    assert result["is_implausible"]
    assert result["flags"] & 1
    assert result["underweight"] == CLASS_UNKNOWN
    assert result["wasting"] == CLASS_UNKNOWN


def test_plausible_values_are_not_flagged():
    result = girl(730, 11.0, 83.0, muac=14.0)
    assert not result["is_implausible"]
    assert result["flags"] == 0
    assert not math.isnan(result["haz"])


def test_beyond_five_years_nothing_is_classified():
    result = girl(1900, 17.0, 108.0)
    assert (result["underweight"], result["stunting"], result["acute"]) == (CLASS_UNKNOWN,) * 3
