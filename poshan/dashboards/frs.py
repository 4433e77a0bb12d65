"""The dashboard's face recognition section: THR handed over by face against each fallback, month by month,
for the place shown, read from the monthly rollups (one query over the twelve rows the page's cache version
already names). The detailed figures — failure reasons, retries, time to decision, struggling centres — are
on the THR face recognition page (`thr_frs:frs`), read live from the checks.
"""
from __future__ import annotations

from datetime import date

from anganwadi.models import Location
from poshan.core.dates import add_months
from thr_frs.selectors.frs import SHARE_MONTHS, ShareMonth

from .models import AreaMonth


def frs_share(level: str, location: Location | None, month: date) -> list[ShareMonth]:
    """Twelve months up to `month` of the place's rollups (a month not counted yet shows zeros)."""
    first = add_months(month, -(SHARE_MONTHS - 1))
    rows = {row["month"]: row for row in AreaMonth.objects.filter(
        level=level, location=location, month__gte=first, month__lte=month).values(
        "month", "thr_face", "thr_otp", "thr_nominee", "thr_override")}
    share = []
    for m in (add_months(first, i) for i in range(SHARE_MONTHS)):
        row = rows.get(m, {})
        share.append(ShareMonth(m, row.get("thr_face", 0), row.get("thr_otp", 0), row.get("thr_nominee", 0),
                                row.get("thr_override", 0)))
    return share
