"""WHO z-score engine: reference cases, every rule's boundaries, CSV batch, properties.

No database and no Django: the engine is pure NumPy.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from growth.zscore_csv import OUTPUT_COLUMNS, score_csv
from growth.zscores import (
    CLASS_MODERATE,
    CLASS_NORMAL,
    CLASS_SEVERE,
    CLASS_UNKNOWN,
    FLAG_NOT_COMPUTED,
    MEASURE_LYING,
    MEASURE_STANDING,
    MEASURE_UNKNOWN,
    TABLE_DIR,
    classify_acute,
    classify_z,
    round_z,
    score,
)
from tests.growth.who_anthro import score_row_python

VECTORS = Path(__file__).with_name("data") / "who_zscore_vectors.csv"
MEASURE_CODES = {"L": MEASURE_LYING, "H": MEASURE_STANDING, "": MEASURE_UNKNOWN}
Z_COLUMNS = ("waz", "haz", "whz", "baz", "acz")
FLAG_COLUMNS = ("fwei", "flen", "fwfl", "fbmi", "c9mo")
MALE, FEMALE = 1, 2
NAN = math.nan


def child(
    sex: int = MALE,
    age: float = NAN,
    weight: float = NAN,
    lenhei: float = NAN,
    measure: int = MEASURE_UNKNOWN,
    oedema: bool = False,
    muac: float = NAN,
) -> dict[str, float]:
    """Score one child; results as Python numbers."""
    result = score([sex], [age], [weight], [lenhei], [measure], [oedema], [muac])
    return {name: values[0].item() for name, values in result.items()}


def lms_row(file_name: str, sex: int, key: str) -> tuple[float, float, float]:
    """(l, m, s) of one row of a WHO table, read straight from the file."""
    for line in (TABLE_DIR / file_name).read_text().splitlines()[1:]:
        cells = line.split("\t")
        if int(cells[0]) == sex and cells[1] == key:
            return float(cells[2]), float(cells[3]), float(cells[4])
    raise KeyError(key)


def measurement_at(z: float, lms: tuple[float, float, float]) -> float:
    """The measurement whose z-score is z, under restricted application."""
    l, m, s = lms

    def sd(k: float) -> float:
        return m * (1 + l * s * k) ** (1 / l)

    if z > 3:
        return sd(3) + (z - 3) * (sd(3) - sd(2))
    if z < -3:
        return sd(-3) + (z + 3) * (sd(-2) - sd(-3))
    return sd(z)


def _cell(text: str) -> float:
    return NAN if text == "NA" else float(text)


def _vector_rows() -> list[dict[str, str]]:
    with VECTORS.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _vector_rows(), ids=lambda row: row["case"])
def test_reference_vector_reproduced(row: dict[str, str]) -> None:
    got = child(
        int(row["sex"]),
        _cell(row["age_days"]),
        _cell(row["weight_kg"]),
        _cell(row["lenhei_cm"]),
        MEASURE_CODES[row["measure"]],
        row["oedema"] == "y",
        _cell(row["muac_cm"]),
    )
    assert got["clenhei"] == pytest.approx(_cell(row["clenhei"]), nan_ok=True)
    assert [got[name] for name in Z_COLUMNS] == pytest.approx(
        [_cell(row[name]) for name in Z_COLUMNS], abs=0, rel=0, nan_ok=True
    )
    expected_flags = [FLAG_NOT_COMPUTED if row[n] == "NA" else int(row[n]) for n in FLAG_COLUMNS]
    assert [got[name] for name in FLAG_COLUMNS] == expected_flags


# --- length/height adjustment and position -------------------------------------------


@pytest.mark.parametrize(
    ("age", "measure", "clenhei"),
    [
        (730, MEASURE_STANDING, 80.7),
        (730, MEASURE_LYING, 80.0),
        (731, MEASURE_LYING, 79.3),
        (731, MEASURE_STANDING, 80.0),
        (730.5, MEASURE_LYING, 79.3),  # rounds half up to day 731
        (730.49, MEASURE_LYING, 80.0),
        (900, MEASURE_UNKNOWN, 80.0),
        (NAN, MEASURE_LYING, 80.0),
    ],
)
def test_length_adjusted_by_age_and_position(age: float, measure: int, clenhei: float) -> None:
    assert child(age=age, lenhei=80.0, measure=measure)["clenhei"] == pytest.approx(clenhei)


def test_standing_under_nine_months_is_flagged_and_not_adjusted() -> None:
    result = child(age=273, lenhei=65.0, measure=MEASURE_STANDING)
    assert (result["c9mo"], result["clenhei"]) == (1, 65.0)


def test_standing_at_nine_months_is_adjusted() -> None:
    result = child(age=274, lenhei=65.0, measure=MEASURE_STANDING)
    assert (result["c9mo"], result["clenhei"]) == (0, pytest.approx(65.7))


def test_nine_month_rule_uses_unrounded_age() -> None:
    # 273.9 days < 9 x 30.4375 = 273.9375, although it rounds to day 274.
    assert child(age=273.9, lenhei=65.0, measure=MEASURE_STANDING)["c9mo"] == 1


def test_lying_under_nine_months_is_not_flagged() -> None:
    assert child(age=200, lenhei=65.0, measure=MEASURE_LYING)["c9mo"] == 0


def test_standing_with_unknown_age_is_not_flagged() -> None:
    assert child(lenhei=65.0, measure=MEASURE_STANDING)["c9mo"] == 0


def test_standing_under_nine_months_chooses_table_as_unknown_position() -> None:
    # Position is dropped, so with age known the table follows age (length table).
    flagged = child(age=200, weight=7.0, lenhei=65.0, measure=MEASURE_STANDING)
    lying = child(age=200, weight=7.0, lenhei=65.0, measure=MEASURE_LYING)
    assert flagged["whz"] == lying["whz"]


# --- age limits --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "scored"), [(1826, True), (1826.2, True), (1826.3, False), (1827, False)]
)
def test_scored_only_under_sixty_months(age: float, scored: bool) -> None:
    result = child(age=age, weight=18.0, lenhei=110.0, measure=MEASURE_STANDING, muac=16.0)
    assert [math.isnan(result[name]) for name in Z_COLUMNS] == [not scored] * 5


def test_unknown_age_scores_only_weight_for_length() -> None:
    result = child(weight=10.0, lenhei=80.0, muac=15.0)
    assert [math.isnan(result[name]) for name in Z_COLUMNS] == [True, True, False, True, True]


def test_negative_age_is_treated_as_unknown() -> None:
    negative = child(age=-5, weight=10.0, lenhei=80.0)
    assert negative == pytest.approx(child(weight=10.0, lenhei=80.0), nan_ok=True)


@pytest.mark.parametrize(("age", "scored"), [(90, False), (90.5, True), (91, True)])
def test_muac_for_age_from_day_91(age: float, scored: bool) -> None:
    assert math.isnan(child(age=age, muac=13.0)["acz"]) is not scored


def test_unknown_sex_scores_nothing() -> None:
    result = child(sex=0, age=400, weight=10.0, lenhei=75.0, muac=15.0)
    assert all(math.isnan(result[name]) for name in Z_COLUMNS)


# --- weight-for-length / weight-for-height -------------------------------------------------


@pytest.mark.parametrize(
    ("age", "lenhei", "scored"),
    [
        (300, 44.9, False),
        (300, 45.0, True),
        (300, 110.0, True),
        (300, 110.1, False),  # no fall-back to the height table
        (800, 64.9, False),  # no fall-back to the length table
        (800, 65.0, True),
        (800, 120.0, True),
        (800, 120.1, False),
    ],
)
def test_weight_for_length_table_ranges(age: float, lenhei: float, scored: bool) -> None:
    whz = child(age=age, weight=9.0, lenhei=lenhei)["whz"]
    assert math.isnan(whz) is not scored


def test_weight_for_length_range_checks_adjusted_length() -> None:
    # 44.5 cm standing at 300 days becomes 45.2 cm lying: in range.
    assert not math.isnan(child(age=300, weight=3.0, lenhei=44.5, measure=MEASURE_STANDING)["whz"])


@pytest.mark.parametrize(
    ("measure", "lenhei", "same_as_age"),
    [
        (MEASURE_LYING, 90.0, 300),
        (MEASURE_STANDING, 80.0, 800),
        (MEASURE_UNKNOWN, 86.9, 300),
        (MEASURE_UNKNOWN, 87.0, 800),
    ],
)
def test_unknown_age_picks_table_by_position_then_length(
    measure: int, lenhei: float, same_as_age: int
) -> None:
    unknown_age = child(weight=11.0, lenhei=lenhei, measure=measure)["whz"]
    assert unknown_age == child(age=same_as_age, weight=11.0, lenhei=lenhei)["whz"]


def test_unknown_age_lying_above_length_table_is_not_scored() -> None:
    assert math.isnan(child(weight=20.0, lenhei=112.0, measure=MEASURE_LYING)["whz"])


def test_weight_for_length_interpolates_between_tenths() -> None:
    low = lms_row("wflanthro.txt", FEMALE, "84.8")
    high = lms_row("wflanthro.txt", FEMALE, "84.9")
    l, m, s = (a + 0.5 * (b - a) for a, b in zip(low, high, strict=True))
    expected = round(((11.0 / m) ** l - 1) / (s * l), 2)
    assert child(FEMALE, 600, 11.0, 84.85, MEASURE_LYING)["whz"] == expected


def test_grid_length_from_adjustment_uses_that_grid_point() -> None:
    # 85.5 - 0.7 is 84.79999999999998 in binary; it must score as 84.8 cm.
    adjusted = child(FEMALE, 800, 11.0, 85.5, MEASURE_LYING)["whz"]
    l, m, s = lms_row("wfhanthro.txt", FEMALE, "84.8")
    assert adjusted == round(((11.0 / m) ** l - 1) / (s * l), 2)


def test_bmi_uses_adjusted_length() -> None:
    lying = child(age=800, weight=12.0, lenhei=85.9, measure=MEASURE_LYING)["baz"]
    assert lying == child(age=800, weight=12.0, lenhei=85.2, measure=MEASURE_STANDING)["baz"]


# --- oedema and impossible measurements ---------------------------------------------------


def test_oedema_drops_weight_based_scores_only() -> None:
    result = child(age=400, weight=9.0, lenhei=75.0, oedema=True, muac=14.0)
    computed = [not math.isnan(result[name]) for name in Z_COLUMNS]
    assert computed == [False, True, False, False, True]


def test_oedema_flags_are_not_computed() -> None:
    result = child(age=400, weight=9.0, lenhei=75.0, oedema=True)
    assert [result["fwei"], result["fwfl"], result["fbmi"]] == [FLAG_NOT_COMPUTED] * 3


@pytest.mark.parametrize("weight", [0.0, -3.0])
def test_non_positive_weight_scores_no_weight_indicator(weight: float) -> None:
    result = child(age=400, weight=weight, lenhei=75.0)
    assert [math.isnan(result[n]) for n in ("waz", "whz", "baz", "haz")] == [True] * 3 + [False]


@pytest.mark.parametrize("lenhei", [0.0, -70.0])
def test_non_positive_length_scores_no_length_indicator(lenhei: float) -> None:
    result = child(age=400, weight=9.0, lenhei=lenhei)
    assert [math.isnan(result[n]) for n in ("haz", "whz", "baz", "waz")] == [True] * 3 + [False]


def test_zero_muac_scores_nothing() -> None:
    assert math.isnan(child(age=400, muac=0.0)["acz"])


# --- restricted application, rounding and flags --------------------------------------------


def test_restricted_application_beyond_three() -> None:
    lms = lms_row("weianthro.txt", MALE, "400")
    assert child(age=400, weight=measurement_at(4.2, lms))["waz"] == 4.2


@pytest.mark.parametrize(
    ("file_name", "name", "flag", "z", "flagged"),
    [
        ("weianthro.txt", "waz", "fwei", 5.0, 0),
        ("weianthro.txt", "waz", "fwei", 5.01, 1),
        ("weianthro.txt", "waz", "fwei", -6.0, 0),
        ("weianthro.txt", "waz", "fwei", -6.01, 1),
        ("weianthro.txt", "waz", "fwei", -5.5, 0),
        ("acanthro.txt", "acz", "fac", 5.0, 0),
        ("acanthro.txt", "acz", "fac", -5.01, 1),
    ],
)
def test_weight_and_muac_flags_at_limits(
    file_name: str, name: str, flag: str, z: float, flagged: int
) -> None:
    measurement = measurement_at(z, lms_row(file_name, MALE, "400"))
    keyword = "weight" if name == "waz" else "muac"
    result = child(age=400, **{keyword: measurement})
    assert (result[name], result[flag]) == (z, flagged)


@pytest.mark.parametrize(("z", "flagged"), [(6.0, 0), (6.01, 1), (-6.0, 0), (-6.01, 1)])
def test_length_flag_at_limits(z: float, flagged: int) -> None:
    _, m, s = lms_row("lenanthro.txt", FEMALE, "500")
    result = child(FEMALE, 500, lenhei=m * (1 + s * z), measure=MEASURE_LYING)
    assert (result["haz"], result["flen"]) == (z, flagged)


@pytest.mark.parametrize(("z", "flagged"), [(5.0, 0), (5.01, 1), (-5.0, 0), (-5.01, 1)])
def test_weight_for_length_flag_at_limits(z: float, flagged: int) -> None:
    weight = measurement_at(z, lms_row("wflanthro.txt", MALE, "70"))
    result = child(age=300, weight=weight, lenhei=70.0)
    assert (result["whz"], result["fwfl"]) == (z, flagged)


def test_flags_not_computed_where_z_missing() -> None:
    result = child(age=400)
    assert [result[f] for f in ("fwei", "flen", "fwfl", "fbmi", "fac")] == [FLAG_NOT_COMPUTED] * 5


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [(0.125, 0.12), (0.135, 0.14), (-0.125, -0.12), (2.675, 2.67), (1.005, 1.0), (-3.14159, -3.14)],
)
def test_round_z_matches_r(raw: float, rounded: float) -> None:
    assert round_z(np.array([raw]))[0] == rounded


def test_round_z_never_negative_zero() -> None:
    assert not np.signbit(round_z(np.array([-0.004]))[0])


# --- classification -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("z", "code"),
    [
        (-3.01, CLASS_SEVERE),
        (-3.0, CLASS_MODERATE),
        (-2.01, CLASS_MODERATE),
        (-2.0, CLASS_NORMAL),
        (1.5, CLASS_NORMAL),
        (NAN, CLASS_UNKNOWN),
    ],
)
def test_classify_z_boundaries(z: float, code: int) -> None:
    assert classify_z([z]).tolist() == [code]


@pytest.mark.parametrize(
    ("age", "whz", "muac", "oedema", "code"),
    [
        (400, -1.0, 11.49, False, CLASS_SEVERE),
        (400, -1.0, 11.5, False, CLASS_MODERATE),
        (400, -1.0, 12.49, False, CLASS_MODERATE),
        (400, -1.0, 12.5, False, CLASS_NORMAL),
        (400, -3.01, 13.0, False, CLASS_SEVERE),
        (400, -3.0, 13.0, False, CLASS_MODERATE),
        (400, -2.0, 13.0, False, CLASS_NORMAL),
        (400, NAN, NAN, True, CLASS_SEVERE),
        (400, NAN, NAN, False, CLASS_UNKNOWN),
        (400, NAN, 13.0, False, CLASS_NORMAL),
        (182, 0.0, 11.0, False, CLASS_NORMAL),  # under 6 months: MUAC not used
        (182.625, 0.0, 11.0, False, CLASS_SEVERE),  # exactly 6 months
        (150, -3.5, NAN, False, CLASS_SEVERE),
        (1826.25, -1.0, 11.0, False, CLASS_UNKNOWN),  # 60 months: beyond the standards
    ],
)
def test_classify_acute_boundaries(
    age: float, whz: float, muac: float, oedema: bool, code: int
) -> None:
    assert classify_acute([age], [whz], [muac], [oedema]).tolist() == [code]


# --- vectorised engine against the per-row implementation -----------------------------------


def _random_children(count: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    age = rng.uniform(-20, 1900, count)
    age = np.where(rng.random(count) < 0.4, np.round(age), age)
    age[rng.random(count) < 0.05] = NAN
    growth = np.nan_to_num(age, nan=900.0).clip(0) / 1826
    raw_lenhei = 45 + 65 * growth + rng.normal(0, 8, count)
    decimals = rng.integers(0, 3, count)
    lenhei = np.choose(decimals, [np.round(raw_lenhei, d) for d in range(3)])
    weight = np.round(2.5 + 15 * growth + rng.normal(0, 3, count), 1)
    muac = np.round(rng.normal(14, 3, count), 1)
    for values in (lenhei, weight, muac):
        values[rng.random(count) < 0.03] = NAN
    sex = rng.choice([0, 1, 2], count, p=[0.02, 0.49, 0.49])
    measure = rng.integers(0, 3, count)
    oedema = rng.random(count) < 0.03
    return sex, age, weight, lenhei, measure, oedema, muac


def test_weight_for_length_interpolates_as_who_does_two_rows_up() -> None:
    # anthro gives zwfl 1.52: 103.1 - 0.7 = 102.39999999999999, and 10 h + 1 rounds up to
    # 1025.0, so WHO interpolates between the rows 102.3 and 102.5 (by 0.99999999999999).
    boy = child(MALE, 923, 18.31, 103.1, MEASURE_LYING)
    assert (boy["clenhei"], boy["whz"]) == (pytest.approx(102.4), 1.52)


@pytest.mark.parametrize("decimals", [1, 2])
def test_every_length_on_the_grid_equals_the_who_transcription(decimals: int) -> None:
    # Every length 44-121 cm with one or two decimals, each lying and standing on both sides
    # of 731 days, so every adjustment by 0.7 cm and every truncation WHO's code makes is met.
    step = 10**decimals
    lengths = np.arange(44 * step, 121 * step + 1) / step
    n = lengths.size
    for age in (300.0, 923.0):
        for measure in (MEASURE_LYING, MEASURE_STANDING):
            for sex in (MALE, FEMALE):
                weight = np.round(0.16 * lengths - 5.0, 2)
                got = score([sex] * n, [age] * n, weight, lengths, [measure] * n,
                            [False] * n, [NAN] * n)["whz"]
                expected = [score_row_python(sex, age, w, h, measure, False, NAN)["whz"]
                            for w, h in zip(weight.tolist(), lengths.tolist())]
                mismatch = [(h, g, e) for h, g, e in zip(lengths.tolist(), got.tolist(), expected)
                            if not (g == e or (math.isnan(g) and math.isnan(e)))]
                assert mismatch == [], (sex, age, measure, mismatch[:5])


def test_vectorised_equals_per_row_reference() -> None:
    inputs = _random_children(5000, seed=7)
    vectorised = score(*inputs)
    for row in range(len(inputs[0])):
        expected = score_row_python(*(column[row].item() for column in inputs))
        got = {name: values[row].item() for name, values in vectorised.items()}
        assert got == pytest.approx(expected, abs=0, rel=0, nan_ok=True), row


# --- CSV batch ---------------------------------------------------------------------------------


CSV_HEADER = "id,sex,age_days,weight_kg,lenhei_cm,measure,oedema,muac_cm\n"


def run_csv(body: str) -> tuple[list[tuple[int, str]], list[dict[str, str]]]:
    out = io.StringIO()
    errors = score_csv(io.StringIO(CSV_HEADER + body), out)
    return errors, list(csv.DictReader(io.StringIO(out.getvalue())))


def test_csv_scores_good_row() -> None:
    _, rows = run_csv("a,1,868,12.9,85.9,l,N,14.5\n")
    assert [rows[0][c] for c in OUTPUT_COLUMNS] == [
        "85.2", "-0.08", "-1.69", "1.16", "1.43", "-0.78", "0", "0", "0", "0", "0", "0",
    ]  # fmt: skip


def test_csv_keeps_input_columns_as_given() -> None:
    _, rows = run_csv("x y,2, 683 ,10.40,84.8,L,,14.9\n")
    assert [rows[0][c] for c in ("id", "age_days", "weight_kg", "oedema")] == [
        "x y", " 683 ", "10.40", ""
    ]


def test_csv_empty_cells_are_unknown() -> None:
    errors, rows = run_csv("a,2,955,7.6,,,,12.5\n")
    got = [rows[0][c] for c in OUTPUT_COLUMNS]
    assert (errors, got) == ([], ["", "-4.32", "", "", "", "-2.58", "0", "", "", "", "0", "0"])


def test_csv_reports_bad_rows_with_line_numbers() -> None:
    errors, _ = run_csv("a,1,400,9,75,l,n,14\nb,3,400,9,75,l,n,14\n\nc,1,4OO,9,75,x,n,14\n")
    assert errors == [
        (3, "sex: must be 1 or 2, got '3'"),
        (5, "age_days: not a number: '4OO'; measure: must be l, h or empty, got 'x'"),
    ]


def test_csv_bad_rows_written_with_empty_results() -> None:
    _, rows = run_csv("a,1,400,9,75,l,n,14\nb,1,-3,9,75,l,n,14\nc,1,400,9,75,l,n,14\n")
    assert [rows[i]["waz"] != "" for i in range(3)] == [True, False, True]
    assert all(rows[1][c] == "" for c in OUTPUT_COLUMNS)


def test_csv_wrong_field_count_is_reported() -> None:
    errors, rows = run_csv("a,1,400\n")
    assert (errors, rows[0]["id"], rows[0]["haz"]) == ([(2, "expected 8 fields, found 3")], "a", "")


def test_csv_missing_column_reported_on_line_one(tmp_path: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("sex,age_days\n1,400\n")
    errors = score_csv(source, target)
    assert errors == [(1, "missing column(s): weight_kg, lenhei_cm, measure, oedema, muac_cm")]


def test_csv_reads_and_writes_paths(tmp_path: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(CSV_HEADER + "a,2,683,10.4,84.8,L,n,14.9\n", encoding="utf-8-sig")
    assert score_csv(source, target) == []
    results = target.read_text().splitlines()[1].split(",")[8:]
    assert results == "84.8,-0.57,-0.07,-0.81,-0.79,0.11,0,0,0,0,0,0".split(",")


def test_csv_never_prints_negative_zero() -> None:
    _, m, s = lms_row("lenanthro.txt", MALE, "400")
    lenhei = round(m * (1 - 0.003 * s), 2)
    assert -0.005 < (lenhei / m - 1) / s < 0
    _, rows = run_csv(f"a,1,400,,{lenhei},l,n,\n")
    assert rows[0]["haz"] == "0.00"


# --- properties ------------------------------------------------------------------------------

finite_or_nan = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.floats(min_value=-10, max_value=2000)
)


@settings(max_examples=300, deadline=None)
@given(
    sex=st.integers(-1, 3),
    age=finite_or_nan,
    weight=finite_or_nan,
    lenhei=finite_or_nan,
    measure=st.integers(-2, 4),
    oedema=st.booleans(),
    muac=finite_or_nan,
)
def test_any_input_scores_without_crash_and_flags_follow_z(
    sex: int, age: float, weight: float, lenhei: float, measure: int, oedema: bool, muac: float
) -> None:
    result = child(sex, age, weight, lenhei, measure, oedema, muac)
    z_missing = [math.isnan(result[name]) for name in Z_COLUMNS]
    flag_missing = [result[f] == FLAG_NOT_COMPUTED for f in ("fwei", "flen", "fwfl", "fbmi", "fac")]
    assert z_missing == flag_missing


def plausible(low: int, high: int) -> st.SearchStrategy[float]:
    """NaN or a value in [low, high] recorded to 3 decimals, as data would be."""
    return st.one_of(st.just(NAN), st.integers(low * 1000, high * 1000).map(lambda v: v / 1000))


@settings(max_examples=500, deadline=None)
@given(
    sex=st.integers(0, 3),
    age=plausible(-5, 1900),
    weight=plausible(-1, 70),
    lenhei=plausible(-1, 130),
    measure=st.integers(0, 2),
    oedema=st.booleans(),
    muac=plausible(-1, 30),
)
def test_vectorised_equals_per_row_on_any_plausible_child(
    sex: int, age: float, weight: float, lenhei: float, measure: int, oedema: bool, muac: float
) -> None:
    expected = score_row_python(sex, age, weight, lenhei, measure, oedema, muac)
    assert child(sex, age, weight, lenhei, measure, oedema, muac) == pytest.approx(
        expected, abs=0, rel=0, nan_ok=True
    )


def recorded(low: int, high: int, decimals: int) -> st.SearchStrategy[float]:
    """A value in [low, high] written with exactly `decimals` decimals, as a scale shows it."""
    scale = 10**decimals
    return st.integers(low * scale, high * scale).map(lambda v: v / scale)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(
    sex=st.sampled_from([MALE, FEMALE]),
    age=st.one_of(st.just(NAN), st.integers(0, 1830), recorded(0, 1830, 1)),
    weight=st.one_of(recorded(1, 40, 1), recorded(1, 40, 2)),
    lenhei=st.one_of(recorded(40, 125, 1), recorded(40, 125, 2)),
    measure=st.sampled_from([MEASURE_UNKNOWN, MEASURE_LYING, MEASURE_STANDING]),
    oedema=st.booleans(),
    muac=st.one_of(st.just(NAN), recorded(8, 25, 1)),
)
def test_engine_equals_who_transcription_on_one_and_two_decimals(
    sex: int, age: float, weight: float, lenhei: float, measure: int, oedema: bool, muac: float
) -> None:
    expected = score_row_python(sex, age, weight, lenhei, measure, oedema, muac)
    assert child(sex, age, weight, lenhei, measure, oedema, muac) == pytest.approx(
        expected, abs=0, rel=0, nan_ok=True
    )


@settings(max_examples=100, deadline=None)
@given(
    sex=st.sampled_from([MALE, FEMALE]),
    age=st.integers(0, 1826),
    weights=st.lists(st.floats(0.5, 60), min_size=2, max_size=30),
)
def test_waz_monotone_in_weight(sex: int, age: int, weights: list[float]) -> None:
    ordered = np.sort(np.array(weights))
    n = len(ordered)
    waz = score([sex] * n, [age] * n, ordered, [NAN] * n, [0] * n, [False] * n, [NAN] * n)["waz"]
    assert np.all(np.diff(waz) >= 0)


@settings(max_examples=100, deadline=None)
@given(
    sex=st.sampled_from([MALE, FEMALE]),
    lenhei=st.floats(45, 110),
    weights=st.lists(st.floats(0.5, 60), min_size=2, max_size=30),
)
def test_whz_monotone_in_weight(sex: int, lenhei: float, weights: list[float]) -> None:
    ordered = np.sort(np.array(weights))
    n = len(ordered)
    whz = score([sex] * n, [300] * n, ordered, [lenhei] * n, [1] * n, [False] * n, [NAN] * n)["whz"]
    assert np.all(np.diff(whz) >= 0)
