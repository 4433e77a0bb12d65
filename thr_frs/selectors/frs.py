"""Face recognition figures for the people who can fix what fails: per place one level down, in a fixed number
of queries whatever the size of the area.

For a month and an area: face checks tried and matched, hand-overs after a face match at the first try or after
retries, the fallbacks used (OTP, nominee, override) and why (what the person's last failed face check of the
month said, or that no face check was tried), the median time from the photo's arrival to the decision, and the
failure reasons, each with a plain hint. Month by month: the share of THR handed over by face against fallbacks.
Every query starts from the user's scope (`scope_queryset`).

The median is read from 100 ms buckets counted by the database (not every duration brought back): it is the
middle of the bucket holding the middle check, so within 50 ms of the exact median.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location
from anganwadi.selectors import location_children, locations_visible_to, scope_queryset
from poshan.core.dates import add_months
from poshan.core.roles import Level, child_level

from ..models import MATCH_FAILED, FaceCheck, ThrDistribution, Verification

BUCKET_MS = 100  # resolution of the median time to decision
SHARE_MONTHS = 12  # months of the face-against-fallback share
STRUGGLING_MIN_CHECKS = 3  # a centre with fewer checks in the month is not judged
STRUGGLING_SHARE = 0.25  # a centre struggles when at least this share of its checks failed
STRUGGLING_SHOWN = 20
NO_CHECK = "no_check"  # a fallback with no failed face check before it this month


@dataclass(frozen=True)
class Reason:
    key: str
    label: str
    hint: str


REASONS = (
    Reason("no_face", _("No face found"),
           _("Light on the face: face a door or window, no light behind the person; hold the phone at eye level.")),
    Reason("many_faces", _("More than one face"),
           _("Only the person in the photo: ask others to step out of the frame.")),
    Reason("unreadable", _("Photo could not be read"),
           _("Try the phone's other camera or update the browser; the phone may be short of memory.")),
    Reason("no_match", _("Face did not match"),
           _("Same light as at enrolment, nothing over the face; if it keeps failing, enrol the face again "
             "with two or three photos.")),
    Reason("not_turned", _("The head did not turn"),
           _("Ask the person to turn the head slowly to one side between the two photos.")),
    Reason("timeout", _("Checked too late (timeout)"),
           _("The photo waited too long: a weak network or a busy service. Send it again where the signal is "
             "better.")),
    Reason("unavailable", _("Face service unavailable"),
           _("The face service was down: try again later or use the one-time code.")),
    Reason("not_enrolled", _("No enrolled face"), _("Enrol the face before the hand-over.")),
)
REASON_BY_KEY = {r.key: r for r in REASONS}
NO_CHECK_REASON = Reason(NO_CHECK, _("No face check tried"),
                         _("The face is not enrolled or the check was skipped: enrol the face at the next visit."))
_ERROR_REASON = {
    FaceCheck.Error.NO_FACE: "no_face", FaceCheck.Error.MANY_FACES: "many_faces",
    FaceCheck.Error.UNREADABLE: "unreadable", FaceCheck.Error.NOT_TURNED: "not_turned",
    FaceCheck.Error.EXPIRED: "timeout", FaceCheck.Error.UNAVAILABLE: "unavailable",
    FaceCheck.Error.NOT_ENROLLED: "not_enrolled", FaceCheck.Error.NOT_SAME_FACE: "no_match",
}
FALLBACKS = (Verification.OTP, Verification.NOMINEE, Verification.OVERRIDE)


def reason_of(status: str, error: str) -> str:
    """The failure reason of a failed match check: a decided check that did not match is a "no match"."""
    return "no_match" if status == FaceCheck.Status.DONE else _ERROR_REASON.get(error, "unavailable")


@dataclass
class FrsFigures:
    tried: int = 0
    matched: int = 0
    first_try: int = 0
    after_retries: int = 0
    by_otp: int = 0
    by_nominee: int = 0
    by_override: int = 0
    failures: Counter = field(default_factory=Counter)
    fallback_why: Counter = field(default_factory=Counter)
    durations: Counter = field(default_factory=Counter)  # bucket → checks decided in it

    def __add__(self, other: FrsFigures) -> FrsFigures:
        total = FrsFigures()
        for name in ("tried", "matched", "first_try", "after_retries", "by_otp", "by_nominee", "by_override"):
            setattr(total, name, getattr(self, name) + getattr(other, name))
        for name in ("failures", "fallback_why", "durations"):
            setattr(total, name, getattr(self, name) + getattr(other, name))
        return total

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    @property
    def by_face(self) -> int:
        return self.first_try + self.after_retries

    @property
    def fallbacks(self) -> int:
        return self.by_otp + self.by_nominee + self.by_override

    @property
    def handed_over(self) -> int:
        return self.by_face + self.fallbacks

    @property
    def failed_share(self) -> float | None:
        return self.failed / self.tried if self.tried else None

    @property
    def failed_pct(self) -> float | None:
        return round(100 * self.failed / self.tried, 1) if self.tried else None

    @property
    def face_pct(self) -> float | None:
        return round(100 * self.by_face / self.handed_over, 1) if self.handed_over else None

    @property
    def median_ms(self) -> int | None:
        """The middle of the 100 ms bucket holding the middle decided check (None: nothing decided)."""
        count = sum(self.durations.values())
        if not count:
            return None
        seen, middle = 0, (count + 1) // 2
        for bucket in sorted(self.durations):
            seen += self.durations[bucket]
            if seen >= middle:
                return bucket * BUCKET_MS + BUCKET_MS // 2
        return None

    @property
    def median_s(self) -> float | None:
        median = self.median_ms
        return None if median is None else round(median / 1000, 1)

    @property
    def main_failure(self) -> Reason | None:
        if not self.failures:
            return None
        key = max(sorted(self.failures), key=lambda k: self.failures[k])
        return REASON_BY_KEY[key]

    def failure_rows(self) -> list[tuple[Reason, int]]:
        return [(r, self.failures[r.key]) for r in REASONS if self.failures[r.key]]

    def fallback_rows(self) -> list[tuple[Reason, int]]:
        return [(r, self.fallback_why[r.key]) for r in (*REASONS, NO_CHECK_REASON) if self.fallback_why[r.key]]


def _key(level: str) -> str:
    """The column naming a row's place at `level` (reached from the row's AWC)."""
    return "awc_id" if level == Level.AWC else f"awc__{level}_id"


def _in_place(queryset: QuerySet, user, place: Location | None) -> QuerySet:
    queryset = scope_queryset(queryset, user)
    if place is None:
        return queryset
    if place.level == Level.AWC:
        return queryset.filter(awc_id=place.pk)
    return queryset.filter(**{f"awc__{place.level}_id": place.pk})


def _last_failure_reason():
    """The person's last failed face check of the month, as (status, error) packed in one value."""
    failed = FaceCheck.objects.filter(MATCH_FAILED, beneficiary=OuterRef("beneficiary_id"),
                                      month=OuterRef("month")).order_by("-created_at", "-pk")
    packed = Case(When(status=FaceCheck.Status.DONE, then=Value("done:")),
                  default=Value("failed:"), output_field=CharField())
    return Subquery(failed.annotate(packed=Concat(packed, F("error"), output_field=CharField())).values("packed")[:1])


def frs_figures_by(*, user, place: Location | None, level: str, month: date) -> dict[int, FrsFigures]:
    """The month's figures per place at `level` inside `place` and the user's scope (three grouped queries)."""
    key = _key(level)
    result: dict[int, FrsFigures] = {}
    checks = _in_place(FaceCheck.objects.filter(purpose=FaceCheck.Purpose.MATCH, month=month), user, place)
    for row in checks.values(key, "status", "error", "matched").annotate(n=Count("pk")).order_by():
        figures = result.setdefault(row[key], FrsFigures())
        figures.tried += row["n"]
        if row["matched"]:
            figures.matched += row["n"]
        elif row["status"] == FaceCheck.Status.FAILED or row["matched"] is False:
            figures.failures[reason_of(row["status"], row["error"])] += row["n"]
    timed = checks.filter(duration_ms__isnull=False).exclude(status=FaceCheck.Status.PENDING).annotate(
        bucket=F("duration_ms") / Value(BUCKET_MS, output_field=IntegerField()))
    for row in timed.values(key, "bucket").annotate(n=Count("pk")).order_by():
        result.setdefault(row[key], FrsFigures()).durations[int(row["bucket"])] += row["n"]
    given = _in_place(ThrDistribution.objects.filter(month=month), user, place).annotate(
        retried=Case(When(failed_matches__gt=0, then=Value(1)), default=Value(0), output_field=IntegerField()),
        why=_last_failure_reason())
    for row in given.values(key, "verified_by", "retried", "why").annotate(n=Count("pk")).order_by():
        _count_handover(result.setdefault(row[key], FrsFigures()), row)
    return result


def _count_handover(figures: FrsFigures, row: dict) -> None:
    verified, n = row["verified_by"], row["n"]
    if verified == Verification.FACE:
        if row["retried"]:
            figures.after_retries += n
        else:
            figures.first_try += n
        return
    setattr(figures, f"by_{verified}", getattr(figures, f"by_{verified}") + n)
    why = row["why"]
    if not why:
        figures.fallback_why[NO_CHECK] += n
    else:
        status, _sep, error = why.partition(":")
        figures.fallback_why[reason_of(status, error)] += n


@dataclass
class FrsRow:
    location: Location
    figures: FrsFigures


@dataclass
class ShareMonth:
    month: date
    by_face: int
    by_otp: int
    by_nominee: int
    by_override: int

    @property
    def handed_over(self) -> int:
        return self.by_face + self.by_otp + self.by_nominee + self.by_override

    @property
    def face_pct(self) -> float | None:
        return round(100 * self.by_face / self.handed_over, 1) if self.handed_over else None

    @property
    def fallback_pct(self) -> float | None:
        return round(100 - self.face_pct, 1) if self.handed_over else None


@dataclass
class FrsReport:
    place: Location | None
    month: date
    rows: list[FrsRow]
    total: FrsFigures
    struggling: list[FrsRow]
    share: list[ShareMonth]
    centres_judged: bool  # the struggling centres are named only at a sector or a project


def share_by_month(*, user, place: Location | None, month: date, months: int = SHARE_MONTHS) -> list[ShareMonth]:
    """THR handed over by face against each fallback, month by month up to `month` (one grouped query)."""
    first = add_months(month, -(months - 1))
    given = _in_place(ThrDistribution.objects.filter(month__gte=first, month__lte=month), user, place)
    counts = Counter()
    for row in given.values("month", "verified_by").annotate(n=Count("pk")).order_by():
        counts[(row["month"], row["verified_by"])] = row["n"]
    return [ShareMonth(m, counts[(m, Verification.FACE)], counts[(m, Verification.OTP)],
                       counts[(m, Verification.NOMINEE)], counts[(m, Verification.OVERRIDE)])
            for m in (add_months(first, i) for i in range(months))]


def struggling_centres(by_awc: dict[int, FrsFigures], awcs: dict[int, Location]) -> list[FrsRow]:
    """Centres where at least STRUGGLING_SHARE of (at least STRUGGLING_MIN_CHECKS) face checks failed, worst
    first."""
    rows = [FrsRow(awcs[pk], f) for pk, f in by_awc.items()
            if pk in awcs and f.tried >= STRUGGLING_MIN_CHECKS and f.failed_share >= STRUGGLING_SHARE]
    rows.sort(key=lambda row: (-row.figures.failed_share, -row.figures.failed, row.location.name))
    return rows[:STRUGGLING_SHOWN]


def frs_report(*, user, place: Location | None, month: date) -> FrsReport:
    """One row per place one level below `place` (inside the user's area), the total, the struggling centres
    (at a sector or a project) and the month-by-month share. At most ten queries, whatever the area."""
    level = place.level if place is not None else Level.NATION
    below = child_level(level)
    if below is None:  # an AWC: its own row
        children, below = [place], Level.AWC
    else:
        children = list(location_children(place).filter(pk__in=locations_visible_to(user).values("pk"))
                        .order_by("name"))
    by_child = frs_figures_by(user=user, place=place, level=below, month=month)
    rows = [FrsRow(child, by_child.get(child.pk, FrsFigures())) for child in children]
    total = FrsFigures()
    for figures in by_child.values():
        total = total + figures
    judged = level in (Level.SECTOR, Level.PROJECT)
    struggling: list[FrsRow] = []
    if judged:
        by_awc = by_child if below == Level.AWC else frs_figures_by(user=user, place=place, level=Level.AWC,
                                                                     month=month)
        awcs = {c.pk: c for c in children} if below == Level.AWC else {
            loc.pk: loc for loc in Location.objects.filter(pk__in=list(by_awc))}
        struggling = struggling_centres(by_awc, awcs)
    return FrsReport(place, month, rows, total, struggling, share_by_month(user=user, place=place, month=month),
                     judged)
