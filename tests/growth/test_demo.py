"""Demo measurements: realistic series (some stunted, wasted, SAM) for the demo and benchmark worlds."""
from __future__ import annotations

import pytest

from growth.demo import scale_measurements, seed_measurements
from growth.models import Class, Measurement

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def many_children(world, make_child):
    return [make_child(world.awc1, age_days=30 + 9 * i, sex="MF"[i % 2]) for i in range(200)]


def test_series_are_monthly_and_scored(many_children):
    made = seed_measurements(many_children, months=6, rng_seed=1)
    assert made == Measurement.objects.count() > 600
    child = many_children[-1]
    dates = list(child.measurements.order_by("date").values_list("date", flat=True))
    assert len(dates) == 6 and all(25 <= (b - a).days <= 35 for a, b in zip(dates, dates[1:]))
    assert not Measurement.objects.filter(waz__isnull=True, oedema=False, child__in=many_children[:150]).exists()


def test_series_hold_stunted_wasted_and_sam_children(many_children):
    seed_measurements(many_children, months=3, rng_seed=2)
    assert Measurement.objects.filter(stunting__gte=Class.MODERATE).count() > 30
    assert Measurement.objects.filter(wasting__gte=Class.MODERATE).count() > 10
    assert Measurement.objects.filter(acute=Class.SEVERE).exists()
    assert Measurement.objects.filter(stunting=Class.NORMAL).count() > Measurement.objects.count() / 3


def test_children_are_marked_weighed(many_children):
    seed_measurements(many_children[:5], months=2, rng_seed=3)
    child = many_children[4]
    child.refresh_from_db()
    assert child.last_weighed_on == child.measurements.latest("date").date


def test_scale_loader_covers_the_children_of_the_given_centres(world, many_children, make_child):
    elsewhere = make_child(world.awc3, age_days=400)
    made = scale_measurements([world.awc1], months=2)
    assert made["measurements"] == Measurement.objects.count() > 300
    assert not elsewhere.measurements.exists()
    stored = Measurement.objects.filter(waz__isnull=False).first()
    assert stored.district_id == world.district1.pk and stored.weight_kg is not None
