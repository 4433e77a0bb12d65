"""After the nightly flagging, the month's rollups are queued again, and in a month's first three days the month
before's too (late entries for it still come in)."""
from datetime import date

import pytest

from poshan.dashboards.models import RollupRun
from poshan.dashboards.tasks import after_flagging

pytestmark = pytest.mark.django_db


def _queued_months() -> list[date]:
    return sorted(RollupRun.objects.filter(trigger="nightly").values_list("month", flat=True))


def test_early_in_january_last_december_is_queued_too():
    after_flagging(run_id=1, run_date=date(2026, 1, 2))
    assert _queued_months() == [date(2025, 12, 1), date(2026, 1, 1)]


def test_later_in_the_month_only_the_month_is_queued():
    after_flagging(run_id=1, run_date="2026-03-04")
    assert _queued_months() == [date(2026, 3, 1)]
