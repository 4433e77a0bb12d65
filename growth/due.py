"""Growth's answer to the due list (beneficiaries.signals.heights_asked, connected in growth/apps.py): the day of
each child's last length/height, so the list can say when the next one is due. One query."""
from __future__ import annotations

from datetime import date

from django.db.models import Max

from .models import Measurement


def last_heights(*, beneficiary_ids, on: date, **_signal) -> dict[int, date]:
    rows = (Measurement.objects.filter(child_id__in=list(beneficiary_ids), date__lte=on, lenhei_cm__isnull=False)
            .values("child_id").annotate(last=Max("date")).order_by())
    return {row["child_id"]: row["last"] for row in rows}
