"""What the supervisor follows up: override requests and repeated face-match failures per AWC."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from anganwadi.selectors import awcs_visible_to, scope_queryset

from ..models import MATCH_FAILED, FaceCheck, OverrideRequest

REPEATED_FAILURES = 2  # failed face checks of one person in a month that the supervisor should see
MISMATCHES_SHOWN = 50  # the latest face checks that did not match, with their distance, on the supervisor's page


def overrides_for(*, user, month: date | None = None) -> QuerySet[OverrideRequest]:
    overrides = scope_queryset(OverrideRequest.objects.all(), user)
    if month is not None:
        overrides = overrides.filter(month=month)
    return overrides.select_related("beneficiary", "awc", "requested_by", "decided_by").order_by(
        "-requested_at", "-pk")


def pending_overrides(*, user) -> QuerySet[OverrideRequest]:
    return overrides_for(user=user).filter(status=OverrideRequest.Status.PENDING)


@dataclass
class AwcFollowUp:
    awc_id: int
    awc_name: str
    failures: int = 0
    overrides: int = 0
    pending: int = 0
    repeated: list[tuple[str, int]] = field(default_factory=list)


def follow_up_by_awc(*, user, month: date) -> list[AwcFollowUp]:
    """Per AWC in the user's area: failed face checks, overrides, and the people failing repeatedly."""
    rows = {pk: AwcFollowUp(pk, name) for pk, name in awcs_visible_to(user).order_by("name").values_list("pk", "name")}
    failed = scope_queryset(FaceCheck.objects.filter(MATCH_FAILED, month=month), user)
    for row in failed.values("awc_id", "beneficiary_id", "beneficiary__name").annotate(n=Count("id")):
        follow_up = rows.get(row["awc_id"])
        if follow_up is None:
            continue
        follow_up.failures += row["n"]
        if row["n"] >= REPEATED_FAILURES:
            follow_up.repeated.append((row["beneficiary__name"], row["n"]))
    overrides = scope_queryset(OverrideRequest.objects.filter(month=month), user)
    for row in overrides.values("awc_id", "status").annotate(n=Count("id")):
        follow_up = rows.get(row["awc_id"])
        if follow_up is None:
            continue
        follow_up.overrides += row["n"]
        if row["status"] == OverrideRequest.Status.PENDING:
            follow_up.pending += row["n"]
    for follow_up in rows.values():
        follow_up.repeated.sort(key=lambda item: (-item[1], item[0]))
    return [r for r in rows.values() if r.failures or r.overrides]


def mismatches(*, user, month: date) -> QuerySet[FaceCheck]:
    """The month's face checks that did not match, with the figure (distance and tolerance) the worker is not shown."""
    checks = scope_queryset(FaceCheck.objects.filter(purpose=FaceCheck.Purpose.MATCH, status=FaceCheck.Status.DONE,
                                                     matched=False, month=month), user)
    return checks.select_related("beneficiary", "person", "awc").annotate(
        has_candidate=ExpressionWrapper(Q(candidate__isnull=False), output_field=BooleanField()),
    ).order_by("-created_at", "-pk")[:MISMATCHES_SHOWN]


def near_misses(*, user) -> QuerySet[FaceCheck]:
    """Near misses whose encoding is still kept (this month's, not a nominee's), in the user's area: the
    supervisor may confirm the person, and the encoding joins the gallery."""
    checks = FaceCheck.objects.filter(purpose=FaceCheck.Purpose.MATCH, status=FaceCheck.Status.DONE, matched=False,
                                      via_nominee=False, candidate__isnull=False)
    return scope_queryset(checks, user)
