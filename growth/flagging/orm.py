"""The portable path of a chunk (SQLite, the embedded default): plain ORM reads and bulk writes.

Same input and output as the PostgreSQL path; statuses are compared with the stored rows in
Python so that only changed rows are written and a re-run changes nothing.
"""
from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
from django.utils import timezone

from growth.models import ChildStatus, FollowUp, Measurement
from growth.nutrition import MEASURE_CODES, SEX_CODES

from . import rules
from .rules import ChunkInput, ChunkResult, RunDay

ORM_BATCH = 500  # ids per IN (...) list, well under SQLite's variable limit
STATUS_FIELDS = ("awc_id", "measurement_id", "measured_on", "weight_kg", "lenhei_cm", "muac_cm", "waz", "haz", "whz",
                 "underweight", "stunting", "wasting", "acute", "is_implausible", "faltering", "waz_change")


def read_chunk(kids_queryset, *, first: int, last: int, run: RunDay) -> ChunkInput:
    kids = list(kids_queryset.order_by("id").values_list("id", "awc_id", "sex", "dob"))
    n = len(kids)
    index = {row[0]: i for i, row in enumerate(kids)}
    visits = (rules.empty_visit(n), rules.empty_visit(n))
    seen = np.zeros(n, np.int8)
    measurements = (
        Measurement.objects.filter(child__in=kids_queryset.values("id"), child_id__gte=first, child_id__lte=last,
                                   date__lte=run.on)
        .order_by("child_id", "-date", "-id")
        .values_list("child_id", "id", "date", "weight_kg", "lenhei_cm", "measure", "oedema", "muac_cm")
    )
    for child_id, pk, day, weight, lenhei, measure, oedema, muac in measurements.iterator():
        i = index.get(child_id)
        if i is None or seen[i] >= 2:
            continue
        visit = visits[seen[i]]
        seen[i] += 1
        visit.id[i], visit.day[i] = pk, rules.day_number(day)
        visit.weight[i] = float(weight)
        visit.lenhei[i] = math.nan if lenhei is None else float(lenhei)
        visit.measure[i] = MEASURE_CODES.get(measure, 0)
        visit.oedema[i] = oedema
        visit.muac[i] = math.nan if muac is None else float(muac)
    return ChunkInput(
        child_id=np.array([k[0] for k in kids], np.int64), awc_id=np.array([k[1] for k in kids], np.int64),
        sex=np.array([SEX_CODES.get(k[2], 0) for k in kids], np.int8),
        dob_day=np.array([rules.day_number(k[3]) for k in kids], np.int32), latest=visits[0], previous=visits[1],
    )


def _none(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _batches(ids: list[int]):
    for start in range(0, len(ids), ORM_BATCH):
        yield ids[start:start + ORM_BATCH]


def _decimal(value: float) -> Decimal | None:
    """A measured value read as a float back into a decimal (the float came from one: its shortest text is exact),
    so it compares equal with the stored column."""
    return None if math.isnan(value) else Decimal(repr(value))


def _status_values(result: ChunkResult, i: int) -> tuple:
    s = result.status
    day = int(s.measured_day[i])
    return (
        int(s.awc_id[i]), int(s.measurement_id[i]) or None, None if day < 0 else rules.from_day_number(day),
        _decimal(float(s.weight[i])), _decimal(float(s.lenhei[i])), _decimal(float(s.muac[i])),
        _none(float(s.waz[i])), _none(float(s.haz[i])), _none(float(s.whz[i])), int(s.underweight[i]),
        int(s.stunting[i]), int(s.wasting[i]), int(s.acute[i]), bool(s.is_implausible[i]), bool(s.faltering[i]),
        _none(float(s.waz_change[i])),
    )


def _write_statuses(result: ChunkResult, run: RunDay) -> int:
    ids = result.status.child_id.tolist()
    stored = {}
    for batch in _batches(ids):
        stored.update((row[0], row[1:]) for row in ChildStatus.objects.filter(child_id__in=batch)
                      .values_list("child_id", *STATUS_FIELDS))
    changed = []
    for i, child_id in enumerate(ids):
        values = _status_values(result, i)
        old = stored.get(child_id)
        if old != values and (old is None or rules.status_moves_forward(old[2], values[2])):
            changed.append(ChildStatus(child_id=child_id, changed_on=run.on, **dict(zip(STATUS_FIELDS, values))))
    ChildStatus.objects.bulk_create(changed, update_conflicts=True, unique_fields=["child"],
                                    update_fields=[*STATUS_FIELDS, "changed_on"])
    return len(changed)


def _write_followups(result: ChunkResult, run: RunDay) -> int:
    f = result.followups
    if not len(f):
        return 0
    months = sorted({rules.from_day_number(d) for d in f.month_day.tolist()})
    existing = set()
    for batch in _batches(sorted(set(f.child_id.tolist()))):
        existing.update(FollowUp.objects.filter(child_id__in=batch, month__in=months)
                        .values_list("child_id", "reason", "month"))
    new = []
    for i in range(len(f)):
        key = (int(f.child_id[i]), rules.REASONS[int(f.reason[i])], rules.from_day_number(int(f.month_day[i])))
        if key in existing:
            continue
        existing.add(key)
        new.append(FollowUp(child_id=key[0], awc_id=int(f.awc_id[i]), reason=key[1], month=key[2],
                            measurement_id=int(f.measurement_id[i]) or None, severity=int(f.severity[i]),
                            z_change=_none(float(f.z_change[i])), flagged_on=run.on))
    FollowUp.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _clear_followups(result: ChunkResult, run: RunDay) -> None:
    s = result.status
    now = timezone.now()
    month_day = rules.day_number(run.month)
    cleared = dict(resolution=FollowUp.Resolution.AUTO, resolved_at=now)
    for batch in _batches(s.child_id[s.measured_day >= month_day].tolist()):
        FollowUp.objects.filter(child_id__in=batch, reason=FollowUp.Reason.NOT_WEIGHED, month=run.month,
                                resolved_at__isnull=True).update(**cleared)
    plausible = (s.measurement_id > 0) & ~s.is_implausible
    latest = dict(zip(s.child_id[plausible].tolist(), s.measurement_id[plausible].tolist()))
    for batch in _batches(list(latest)):
        open_ = FollowUp.objects.filter(child_id__in=batch, reason=FollowUp.Reason.REMEASURE, resolved_at__isnull=True)
        answered = [pk for pk, child_id, m_id in open_.values_list("pk", "child_id", "measurement_id")
                    if m_id != latest[child_id]]
        FollowUp.objects.filter(pk__in=answered).update(**cleared)


def write(result: ChunkResult, *, run: RunDay) -> tuple[int, int]:
    changed = _write_statuses(result, run)
    created = _write_followups(result, run)
    _clear_followups(result, run)
    return changed, created
