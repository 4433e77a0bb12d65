"""THR figures per AWC and rolled up: what the Ministry publishes (face captured %, THR via FRS %).

`thr_figures_by_awc` costs four grouped queries whatever the number of AWCs; the
dashboards reuse it for their monthly rollups.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from anganwadi.models import Location
from anganwadi.selectors import awcs_visible_to, location_children, locations_visible_to, user_area
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import members_on
from poshan.core.roles import Level

from ..entitlement import reference_day
from ..models import MATCH_FAILED, FaceCheck, ThrDistribution, Verification
from .centre import entitled_q


@dataclass
class Figures:
    entitled: int = 0
    distributed: int = 0
    by_face: int = 0
    by_otp: int = 0
    by_nominee: int = 0
    by_override: int = 0
    match_failures: int = 0
    face_enrolled: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @staticmethod
    def _pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def by_frs(self) -> int:
        """Hand-overs after a face match: the beneficiary's (or guardian's) face, or a nominee's."""
        return self.by_face + self.by_nominee

    @property
    def distributed_pct(self) -> float | None:
        return self._pct(self.distributed, self.entitled)

    @property
    def face_captured_pct(self) -> float | None:
        """Entitled beneficiaries whose face (a child's: the guardian's) is enrolled."""
        return self._pct(self.face_enrolled, self.entitled)

    @property
    def thr_via_frs_pct(self) -> float | None:
        """Share of this month's hand-overs verified by a face match."""
        return self._pct(self.by_frs, self.distributed)


_BY_VERIFICATION = {
    Verification.FACE: "by_face", Verification.OTP: "by_otp",
    Verification.NOMINEE: "by_nominee", Verification.OVERRIDE: "by_override",
}


def thr_figures_by_awc(awc_ids, month: date, *, today: date | None = None, also=None) -> dict[int, Figures]:
    """Figures of `month` for each AWC in `awc_ids` (a list or a queryset of ids); `also`: see `members_on`."""
    on = reference_day(month, today or timezone.localdate())
    result: dict[int, Figures] = defaultdict(Figures)
    members = members_on(awc_ids=awc_ids, on=on, also=also)
    # Entitlement tested only for these AWCs' members: unbounded, the subquery read every entitled person in the
    # country for each chunk of AWCs (three times slower at 200 AWCs, and growing with the nation, not the chunk).
    entitled_ids = Beneficiary.objects.filter(entitled_q(on), pk__in=members.values("beneficiary_id")).values("pk")
    served = members.filter(beneficiary__in=entitled_ids)
    for row in served.values("awc_id").annotate(n=Count("beneficiary", distinct=True)):
        result[row["awc_id"]].entitled = row["n"]
    enrolled = served.filter(Q(beneficiary__face_enrolment__isnull=False)
                             | Q(beneficiary__thr_face_owner__owner__face_enrolment__isnull=False))
    for row in enrolled.values("awc_id").annotate(n=Count("beneficiary", distinct=True)):
        result[row["awc_id"]].face_enrolled = row["n"]
    given = ThrDistribution.objects.filter(awc_id__in=awc_ids, month=month)
    for row in given.values("awc_id", "verified_by").annotate(n=Count("id")):
        figures = result[row["awc_id"]]
        figures.distributed += row["n"]
        setattr(figures, _BY_VERIFICATION[row["verified_by"]], row["n"])
    failures = FaceCheck.objects.filter(MATCH_FAILED, awc_id__in=awc_ids, month=month)
    for row in failures.values("awc_id").annotate(n=Count("id")):
        result[row["awc_id"]].match_failures = row["n"]
    return dict(result)


def thr_figures(awc_ids, month: date, *, today: date | None = None) -> Figures:
    """The month's figures summed over `awc_ids`."""
    total = Figures()
    for figures in thr_figures_by_awc(awc_ids, month, today=today).values():
        total = total + figures
    return total


@dataclass
class ReportRow:
    location: Location
    figures: Figures


def report_rows(*, user, location: Location | None, month: date) -> tuple[list[ReportRow], Figures]:
    """One row per location directly below `location` (inside the user's area) and the total.

    An AWC-level report has a single row: the AWC itself.
    """
    area = user_area(user)
    if area is None:
        return [], Figures()
    if location is not None and location.level == Level.AWC:
        children = [location]
    else:
        children = list(location_children(location).filter(
            pk__in=locations_visible_to(user).values("pk")).order_by("name"))
    if not children:
        return [], Figures()
    level = children[0].level
    awcs = awcs_visible_to(user)
    if location is not None and location.level != Level.AWC:
        awcs = awcs.filter(**{f"{location.level}_id": location.pk})
    elif location is not None:
        awcs = awcs.filter(pk=location.pk)
    awc_parent = dict(awcs.values_list("pk", "pk" if level == Level.AWC else f"{level}_id"))
    by_awc = thr_figures_by_awc(list(awc_parent), month)
    rolled: dict[int, Figures] = defaultdict(Figures)
    for awc_id, figures in by_awc.items():
        rolled[awc_parent[awc_id]] = rolled[awc_parent[awc_id]] + figures
    rows = [ReportRow(child, rolled.get(child.pk, Figures())) for child in children]
    total = Figures()
    for row in rows:
        total = total + row.figures
    return rows, total
