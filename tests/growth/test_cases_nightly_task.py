"""The cases' nightly step as Celery runs it: a first night with a backlog of flagged children nobody opened a case
for (cases deployed where many were flagged, or measurements imported) must not run as one task past its time limit.
On a million children, ~45,000 missed cases at one transaction each outlasted the 25-minute soft limit; the task was
killed and the open cases were not derived again that night. Now the opening goes out in chunks, each its own task,
and the open cases are derived district by district in tasks of their own."""
from __future__ import annotations

from decimal import Decimal

import pytest

from growth import tasks
from growth.cases import rules
from growth.models import Case, ChildStatus, Class, Measurement
from tests.growth.conftest import TODAY, days_ago

pytestmark = pytest.mark.usefixtures("frozen_today")


def flagged_without_a_case(child, awc, district, *, muac: str) -> Measurement:
    """A measurement that reached the tables without the service (an import), with its nightly status."""
    m = Measurement.objects.create(child=child, awc=awc, district=district, date=days_ago(2),
                                   weight_kg=Decimal("8.0"), muac_cm=Decimal(muac), acute=Class.SEVERE)
    ChildStatus.objects.create(child=child, awc=awc, measurement=m, measured_on=m.date, acute=Class.SEVERE,
                               changed_on=TODAY)
    return m


def test_a_backlog_of_missed_cases_is_opened_in_chunks_each_its_own_task(world, make_child, measure, settings):
    settings.CASES_OPEN_CHUNK = 2
    children = [make_child(world.awc1 if i % 2 else world.awc2, age_days=700 + i) for i in range(5)]
    for child in children:
        flagged_without_a_case(child, child.awc, child.awc.district, muac="11.0")
    treated = make_child(world.awc1, age_days=900)
    measure(treated, on=days_ago(60), weight=9.5, muac=12.0)  # an open MAM case, nothing since: defaulted tonight
    Case.objects.filter(child=treated).update(is_open=True, status=rules.IN_TREATMENT, outcome="", closed_on=None)

    result = tasks.cases_nightly(TODAY.isoformat())

    assert result == {"open_chunks": 3, "missed": 5, "districts": 1}
    assert sorted(Case.objects.filter(is_open=True).values_list("child_id", flat=True)) == sorted(
        c.pk for c in children)
    assert Case.objects.get(child=treated).outcome == rules.DEFAULTED
    # The next night finds nothing missed: safe to run twice.
    assert tasks.cases_nightly(TODAY.isoformat())["missed"] == 0
