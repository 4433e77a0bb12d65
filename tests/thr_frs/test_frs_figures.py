"""Face recognition figures (thr_frs/selectors/frs.py): every figure equals what the FaceCheck and ThrDistribution
rows of a seeded month say, counted here one row at a time, at every level from the AWC to the nation; scoped to
the user's area; in a fixed number of queries; and the dashboard's month-by-month share equals the hand-overs."""
from __future__ import annotations

import random
import statistics
from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from anganwadi.models import Location
from poshan.core.roles import Level
from poshan.dashboards.frs import frs_share
from poshan.dashboards.rollups.refresh import refresh_month
from tests.factories import make_household, make_person
from thr_frs.models import (
    FaceCheck,
    OtpChallenge,
    OverrideRequest,
    ThrDistribution,
    Verification,
)
from thr_frs.selectors import frs_report
from thr_frs.selectors.frs import (
    BUCKET_MS,
    NO_CHECK,
    STRUGGLING_MIN_CHECKS,
    STRUGGLING_SHARE,
)

MONTH = date(2026, 11, 1)
EARLIER = date(2026, 9, 1)
# What each failure code means to the people who fix it (a decided check that did not match: "no_match").
REASON = {"no_face": "no_face", "many_faces": "many_faces", "unreadable": "unreadable", "expired": "timeout",
          "unavailable": "unavailable", "not_turned": "not_turned", "not_enrolled": "not_enrolled"}
ERRORS = tuple(REASON) + ("no_match",)
PATTERNS = ("first", "retry", "otp", "override", "nominee", "fail", "pending", "first")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 06:00:00+00:00", tick=False):
        yield


class Seeder:
    def __init__(self, user, rng):
        self.user, self.rng, self.at = user, rng, timezone.now() - timedelta(days=20)

    def check(self, person, *, outcome: str, month=MONTH, nominee=None, pending=False) -> FaceCheck:
        self.at += timedelta(minutes=7)
        done = outcome in ("match", "no_match")
        status = "pending" if pending else ("done" if done else "failed")
        return FaceCheck.objects.create(
            awc_id=person.awc_id, beneficiary=person, person=nominee or person, purpose="match", month=month,
            via_nominee=nominee is not None, quantity=1, status=status, error="" if done or pending else outcome,
            distance=(0.3 if outcome == "match" else 0.7) if done else None,
            matched=(outcome == "match") if done else None, tolerance=0.6, requested_by=self.user,
            created_at=self.at, duration_ms=None if pending else self.rng.randrange(120, 4000))

    def handover(self, person, verified_by, *, month=MONTH, check=None, nominee=None, failed=0):
        extra = {}
        if verified_by == Verification.OTP:
            extra["otp"] = OtpChallenge.objects.create(
                beneficiary=person, awc_id=person.awc_id, month=month, salt="s", code_hash="h", sent_to="98xxxxxx10",
                expires_at=self.at, verified_at=self.at, requested_by=self.user)
        if verified_by == Verification.OVERRIDE:
            extra["override"] = OverrideRequest.objects.create(
                beneficiary=person, awc_id=person.awc_id, month=month, quantity=1, reason="Mother away",
                status="approved", requested_by=self.user, decided_by=self.user)
        return ThrDistribution.objects.create(
            beneficiary=person, awc_id=person.awc_id, month=month, quantity=1, handed_over_by=self.user,
            verified_by=verified_by, face_check=check, nominee=nominee, failed_matches=failed, **extra)

    def failure(self):
        return self.rng.choice(ERRORS)

    def person(self, pattern: str, person, nominee):
        if pattern == "first":
            self.handover(person, Verification.FACE, check=self.check(person, outcome="match"))
        elif pattern == "retry":
            for _ in range(self.rng.randint(1, 2)):
                self.check(person, outcome=self.failure())
            self.handover(person, Verification.FACE, check=self.check(person, outcome="match"), failed=1)
        elif pattern == "otp":
            self.check(person, outcome=self.failure())
            self.handover(person, Verification.OTP, failed=1)
        elif pattern == "override":  # no face check at all
            self.handover(person, Verification.OVERRIDE)
        elif pattern == "nominee":
            self.check(person, outcome=self.failure())
            self.handover(person, Verification.NOMINEE, nominee=nominee, failed=1,
                          check=self.check(person, outcome="match", nominee=nominee))
        elif pattern == "fail":
            for _ in range(self.rng.randint(2, 4)):
                self.check(person, outcome=self.failure())
        elif pattern == "pending":
            self.check(person, outcome="", pending=True)


@pytest.fixture
def seeded(world, users):
    """Six centres (two sectors of project1, and one in each other project, district and state), each with a
    different mix of first tries, retries, fallbacks, failures and pending checks; an earlier month too."""
    rng = random.Random(21)
    seeder = Seeder(users.aww, rng)
    for index, awc in enumerate((world.awc1, world.awc2, world.awc3, world.awc4, world.awc5, world.awc6)):
        household = make_household(awc, head_name=f"Head {index}")
        nominee = make_person(household, name=f"Nominee {index}", dob=date(1990, 1, 1))
        count = 6 + index
        for n in range(count):
            person = make_person(household, name=f"Person {index}-{n}", dob=date(1995, 1, 1))
            seeder.person(PATTERNS[(n + index) % len(PATTERNS)] if n < len(PATTERNS) else rng.choice(PATTERNS),
                          person, nominee)
        early = make_person(household, name=f"Early {index}", dob=date(1995, 1, 1))  # an earlier month
        seeder.handover(early, Verification.FACE, month=EARLIER,
                        check=seeder.check(early, outcome="match", month=EARLIER))
        seeder.handover(make_person(household, name=f"Early OTP {index}", dob=date(1995, 1, 1)), Verification.OTP,
                        month=EARLIER)
    return MONTH


def _awcs_under(location: Location | None) -> list[int]:
    awcs = Location.objects.filter(level=Level.AWC)
    if location is None:
        return list(awcs.values_list("pk", flat=True))
    if location.level == Level.AWC:
        return [location.pk]
    return list(awcs.filter(**{f"{location.level}_id": location.pk}).values_list("pk", flat=True))


def _failed(check: FaceCheck) -> bool:
    return check.status == "failed" or (check.status == "done" and check.matched is False)


def direct(awc_ids: list[int], month: date = MONTH) -> dict:
    """The figures counted from the rows one at a time."""
    checks = list(FaceCheck.objects.filter(purpose="match", month=month, awc_id__in=awc_ids))
    given = list(ThrDistribution.objects.filter(month=month, awc_id__in=awc_ids))
    why = Counter()
    for d in given:
        if d.verified_by == Verification.FACE:
            continue
        failed = sorted((c for c in checks if c.beneficiary_id == d.beneficiary_id and _failed(c)),
                        key=lambda c: (c.created_at, c.pk))
        last = failed[-1] if failed else None
        why[NO_CHECK if last is None else ("no_match" if last.status == "done" else REASON[last.error])] += 1
    durations = [c.duration_ms for c in checks if c.status != "pending"]
    return {
        "tried": len(checks), "matched": sum(c.matched is True for c in checks),
        "failures": Counter("no_match" if c.status == "done" else REASON[c.error] for c in checks if _failed(c)),
        "first_try": sum(d.verified_by == "face" and d.failed_matches == 0 for d in given),
        "after_retries": sum(d.verified_by == "face" and d.failed_matches > 0 for d in given),
        "by_otp": sum(d.verified_by == "otp" for d in given), "by_nominee": sum(d.verified_by == "nominee" for d in given),
        "by_override": sum(d.verified_by == "override" for d in given), "why": why,
        "median_low": statistics.median_low(durations) if durations else None,
    }


def assert_equal(figures, expected: dict) -> None:
    assert (figures.tried, figures.matched, figures.first_try, figures.after_retries, figures.by_otp,
            figures.by_nominee, figures.by_override) == (
        expected["tried"], expected["matched"], expected["first_try"], expected["after_retries"],
        expected["by_otp"], expected["by_nominee"], expected["by_override"])
    assert +figures.failures == expected["failures"]
    assert +figures.fallback_why == expected["why"]
    if expected["median_low"] is None:
        assert figures.median_ms is None
    else:  # the middle of the 100 ms bucket holding the middle check
        assert abs(figures.median_ms - expected["median_low"]) <= BUCKET_MS // 2


@pytest.mark.parametrize("role", ["aww", "supervisor", "cdpo", "dpo", "state", "ministry"])
def test_every_figure_equals_the_rows_at_every_level(seeded, users, role):
    user = users.__dict__[role]
    place = user.assignment.location if role != "ministry" else None

    report = frs_report(user=user, place=place, month=seeded)

    assert report.rows, "a place with centres below it has rows"
    for row in report.rows:
        assert_equal(row.figures, direct(_awcs_under(row.location)))
    assert_equal(report.total, direct(_awcs_under(place)))
    assert report.total.tried > 0 and report.total.fallbacks > 0 and report.total.failed > 0


def test_share_month_by_month_equals_the_hand_overs(seeded, users, world):
    report = frs_report(user=users.dpo, place=world.district1, month=seeded)

    by_month = {m.month: m for m in report.share}
    assert len(report.share) == 12
    for month in (MONTH, EARLIER):
        rows = ThrDistribution.objects.filter(month=month, awc_id__in=_awcs_under(world.district1))
        counted = Counter(rows.values_list("verified_by", flat=True))
        share = by_month[month]
        assert (share.by_face, share.by_otp, share.by_nominee, share.by_override) == (
            counted["face"], counted["otp"], counted["nominee"], counted["override"])
        assert share.face_pct == round(100 * counted["face"] / sum(counted.values()), 1)
    assert by_month[date(2026, 10, 1)].handed_over == 0


def test_the_dashboards_share_equals_the_hand_overs_at_every_level(seeded, world):
    for month in (MONTH, EARLIER):
        refresh_month(month, trigger="admin", today=date(2026, 11, 27))
    places = [(Level.NATION, None), (Level.STATE, world.state1), (Level.DISTRICT, world.district1),
              (Level.PROJECT, world.project1), (Level.SECTOR, world.sector1), (Level.AWC, world.awc2)]
    for level, location in places:
        share = {m.month: m for m in frs_share(level, location, MONTH)}
        for month in (MONTH, EARLIER):
            rows = ThrDistribution.objects.filter(month=month, awc_id__in=_awcs_under(location))
            counted = Counter(rows.values_list("verified_by", flat=True))
            assert (share[month].by_face, share[month].by_otp, share[month].by_nominee,
                    share[month].by_override) == (counted["face"], counted["otp"], counted["nominee"],
                                                  counted["override"]), (level, month)


def test_a_supervisor_sees_nothing_of_another_sector(seeded, users, world):
    report = frs_report(user=users.supervisor, place=world.sector1, month=seeded)

    assert {row.location.pk for row in report.rows} == {world.awc1.pk, world.awc2.pk}
    assert_equal(report.total, direct([world.awc1.pk, world.awc2.pk]))
    assert all(row.location.pk in (world.awc1.pk, world.awc2.pk) for row in report.struggling)
    # Even when asked for the whole nation, her own scope is all that is counted.
    assert_equal(frs_report(user=users.supervisor, place=None, month=seeded).total,
                 direct([world.awc1.pk, world.awc2.pk]))


def test_struggling_centres_are_those_where_a_quarter_of_checks_failed(seeded, users, world):
    report = frs_report(user=users.cdpo, place=world.project1, month=seeded)

    expected = set()
    for pk in (world.awc1.pk, world.awc2.pk, world.awc3.pk):
        figures = direct([pk])
        failed = sum(figures["failures"].values())
        if figures["tried"] >= STRUGGLING_MIN_CHECKS and failed / figures["tried"] >= STRUGGLING_SHARE:
            expected.add(pk)
    assert expected, "the seeded month has struggling centres"
    assert {row.location.pk for row in report.struggling} == expected
    assert all(row.figures.main_failure is not None and str(row.figures.main_failure.hint)
               for row in report.struggling)


def test_the_report_costs_a_fixed_number_of_queries(seeded, users, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):  # the rows: 1 + 3; the centres of a project: 3 + 1; the share: 1
        report = frs_report(user=users.cdpo, place=world.project1, month=seeded)
        [row.figures.median_ms for row in report.rows]


def test_the_page_shows_the_figures_and_a_hint_in_scope_only(seeded, users, world, login):
    client = login(users.supervisor)

    page = client.get(reverse("thr_frs:frs"), {"month": "2026-11"})
    other = client.get(reverse("thr_frs:frs_area", args=[world.sector2.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert world.awc1.name in text and world.awc3.name not in text
    assert str(direct([world.awc1.pk, world.awc2.pk])["tried"]) in text
    assert other.status_code == 404


def test_the_dashboard_shows_the_share_with_a_link_to_the_reasons(seeded, users, world, login):
    refresh_month(MONTH, trigger="admin", today=date(2026, 11, 27))
    client = login(users.cdpo)

    page = client.get(reverse("dashboards:home"), {"month": "2026-11"})

    assert page.status_code == 200
    assert reverse("thr_frs:frs_area", args=[world.project1.pk]) in page.content.decode()
