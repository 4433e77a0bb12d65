"""Growth charts: WHO SD curves from the LMS tables and the child's points, as SVG coordinates."""
from __future__ import annotations

import numpy as np
import pytest

from growth import charts
from growth.zscores import SEX_FEMALE, SEX_MALE


def test_median_curve_is_the_tables_m():
    # WHO weight-for-age: boys' median at birth 3.3464 kg, girls' at day 365 8.9462 kg (weianthro.txt).
    assert charts.sd_curve("wei", SEX_MALE, 0, np.array([0]))[0] == pytest.approx(3.3464, abs=1e-4)
    assert charts.sd_curve("wei", SEX_FEMALE, 0, np.array([365]))[0] == pytest.approx(8.9462, abs=1e-4)


def test_curves_are_ordered_from_minus_three_to_plus_three():
    days = np.arange(0, 1827, 30)
    values = [charts.sd_curve("len", SEX_FEMALE, z, days) for z in charts.SD_LINES]
    assert all((low < high).all() for low, high in zip(values, values[1:]))


def test_chart_has_five_curves_and_the_childs_points():
    chart = charts.build("wfa", sex=SEX_FEMALE, points=[(30, 4.2, "a"), (60, 5.0, "b")], sex_label="girls",
                         age_days=90)
    assert [c.sd for c in chart.curves] == [-3, -2, 0, 2, 3]
    assert len(chart.points) == 2 and chart.path.startswith("M")
    assert "birth to 2 years" in chart.title


def test_points_lie_inside_the_plot_area():
    chart = charts.build("lhfa", sex=SEX_MALE, points=[(400, 74.0, "a"), (1500, 100.0, "b")], sex_label="boys",
                         age_days=1600)
    for point in chart.points:
        assert chart.left <= point.x <= chart.right_edge
        assert chart.top <= point.y <= chart.bottom_edge


def test_older_child_gets_the_five_year_chart():
    chart = charts.build("wfa", sex=SEX_MALE, points=[(1000, 13.0, "a")], sex_label="boys", age_days=1000)
    assert "birth to 5 years" in chart.title and chart.x_ticks[-1].label == "5 y"


def test_description_says_what_a_screen_reader_needs():
    chart = charts.build("wfa", sex=SEX_MALE, points=[(365, 9.6, "a")], sex_label="boys", age_days=400)
    assert "the last 9.6 kg at 12.0 months" in chart.description


@pytest.mark.parametrize("indicator, sex, age_days", [
    ("wfa", SEX_FEMALE, 90), ("wfa", SEX_MALE, 1200), ("lhfa", SEX_FEMALE, 1200), ("lhfa", SEX_MALE, 500)])
def test_labels_do_not_sit_on_each_other_at_a_readable_size(indicator, sex, age_days):
    chart = charts.build(indicator, sex=sex, points=[], sex_label="", age_days=age_days)
    ends = sorted(c.label_y for c in chart.curves)
    assert min(b - a for a, b in zip(ends, ends[1:])) >= charts.LABEL_GAP
    ticks = [t.at for t in chart.y_ticks]
    assert min(abs(b - a) for a, b in zip(ticks, ticks[1:])) >= charts.LABEL_GAP
    x_ticks = [t.at for t in chart.x_ticks]
    assert min(b - a for a, b in zip(x_ticks, x_ticks[1:])) >= 40  # room for "18 m" / "18 माह" at 14 px
