"""Reads for a centre's THR pages: who is entitled, stock, the register, one person's hand-over state."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from anganwadi.models import Location
from anganwadi.selectors import scope_queryset, user_awc
from beneficiaries.lifestage import Category
from beneficiaries.models import Beneficiary, Pregnancy
from beneficiaries.selectors import categories_of, category_q, present_q, scoped_beneficiaries
from beneficiaries.signals import under_treatment
from poshan.core.params import parse_month as parse_month_param
from poshan.core.roles import CENTRE_ROLES

from ..entitlement import (ENTITLED_CATEGORIES, first_of_month, is_adult, last_of_month, needs_guardian_face,
                           packets_for, reference_day)
from ..models import (MATCH_FAILED, FaceCheck, FaceEnrolment, FaceOwner, OtpChallenge, OverrideRequest,
                      ThrDistribution, ThrStockEntry)


def parse_month(value: str | None, today: date | None = None) -> date:
    """`YYYY-MM` → the month's first day; empty → this month, a future month → this month; an unreadable month
    or one outside the programme's calendar → BadParameter (a 400, poshan.core.params)."""
    today = today or timezone.localdate()
    current = first_of_month(today)
    return min(parse_month_param(value, default=current), current)


def entitled_q(on: date) -> Q:
    """Beneficiaries entitled to THR on `on`: in the programme and in an entitled category."""
    categories = Q(pk__in=[])
    for category in ENTITLED_CATEGORIES:
        categories |= category_q(category, on)
    return present_q(on) & categories


def centre_of(user) -> Location | None:
    """The AWC a worker or helper is working (anganwadi.selectors.user_awc: hers, or one she holds on additional
    charge and chose); None for everyone else (face endpoints are theirs alone)."""
    if getattr(user, "role", None) not in CENTRE_ROLES:  # the schema generator asks with no user
        return None
    return user_awc(user)


def centre_beneficiaries(user) -> QuerySet[Beneficiary]:
    """People of the user's own centre, for AWW/AWH only: the face endpoints fetch from here."""
    awc = centre_of(user)
    if awc is None:
        return Beneficiary.objects.none()
    return Beneficiary.objects.filter(awc=awc)


def centre_face_checks(user) -> QuerySet[FaceCheck]:
    awc = centre_of(user)
    if awc is None:
        return FaceCheck.objects.none()
    return FaceCheck.objects.filter(awc=awc)


def stock_balance(awc_id: int) -> int:
    """Packets received minus packets handed over, ever, at one centre (one query)."""
    def total(model, column):
        return Coalesce(Subquery(model.objects.filter(awc_id=OuterRef("pk")).order_by().values("awc_id")
                                 .annotate(n=Sum(column)).values("n")[:1]), 0)

    row = Location.objects.filter(pk=awc_id).annotate(
        received=total(ThrStockEntry, "packets"), given=total(ThrDistribution, "quantity")
    ).values("received", "given").first()
    return row["received"] - row["given"] if row else 0


@dataclass(frozen=True)
class StockSummary:
    month: date
    opening: int
    received: int
    distributed: int

    @property
    def closing(self) -> int:
        return self.opening + self.received - self.distributed


def stock_summary(awc_id: int, month: date) -> StockSummary:
    """The month's stock register line: opening balance, received, distributed, closing balance."""
    last = last_of_month(month)
    received = ThrStockEntry.objects.filter(awc_id=awc_id).aggregate(
        before=Sum("packets", filter=Q(received_on__lt=month)),
        during=Sum("packets", filter=Q(received_on__gte=month, received_on__lte=last)),
    )
    given = ThrDistribution.objects.filter(awc_id=awc_id).aggregate(
        before=Sum("quantity", filter=Q(month__lt=month)), during=Sum("quantity", filter=Q(month=month)),
    )
    return StockSummary(month=month, opening=(received["before"] or 0) - (given["before"] or 0),
                        received=received["during"] or 0, distributed=given["during"] or 0)


def stock_entries(*, user, month: date) -> QuerySet[ThrStockEntry]:
    return (scope_queryset(ThrStockEntry.objects.all(), user)
            .filter(received_on__gte=month, received_on__lte=last_of_month(month))
            .select_related("recorded_by", "awc").order_by("-received_on", "-id"))


@dataclass
class RegisterRow:
    beneficiary: Beneficiary
    categories: list[str]
    packets: int
    face_ready: bool
    distribution: ThrDistribution | None = None


def entitled_people(*, user, on: date) -> QuerySet[Beneficiary]:
    enrolled = FaceEnrolment.objects.filter(person=OuterRef("pk"))
    owner_enrolled = FaceEnrolment.objects.filter(person=OuterRef("thr_face_owner__owner"))
    return (scoped_beneficiaries(user).filter(entitled_q(on))
            .select_related("awc", "household")
            .prefetch_related(Prefetch("pregnancies", queryset=Pregnancy.objects.order_by("-id")))
            .annotate(self_enrolled=Exists(enrolled), owner_enrolled=Exists(owner_enrolled))
            .order_by("name", "pk"))


def register_rows(people: list[Beneficiary], *, month: date, on: date) -> list[RegisterRow]:
    """Rows for one page of `entitled_people` (one more query for the month's hand-overs)."""
    given = {d.beneficiary_id: d for d in ThrDistribution.objects.filter(
        month=month, beneficiary__in=[p.pk for p in people])}
    treated = under_treatment([p.pk for p in people], on)  # augmented ration while a malnutrition case is open
    rows = []
    for person in people:
        categories = [c for c in categories_of(person, on) if c in ENTITLED_CATEGORIES]
        ready = person.owner_enrolled if needs_guardian_face(person.dob, on) else person.self_enrolled
        rows.append(RegisterRow(person, [Category(c).label for c in categories],
                                packets_for(categories, under_treatment=person.pk in treated), ready,
                                given.get(person.pk)))
    return rows


def distribution_register(*, user, month: date) -> QuerySet[ThrDistribution]:
    return (scope_queryset(ThrDistribution.objects.all(), user).filter(month=month)
            .select_related("beneficiary", "handed_over_by", "nominee", "awc")
            .order_by("awc__name", "handed_over_at", "pk"))


@dataclass
class HandoverState:
    """Everything the hand-over page of one person needs to decide what to offer."""

    on: date
    month: date
    categories: list[str]
    packets: int
    distribution: ThrDistribution | None
    needs_guardian: bool
    face_owner: Beneficiary | None
    face_owner_relation: str
    owner_enrolled: bool
    nominees: list[tuple[Beneficiary, bool]]
    checks: list[FaceCheck]
    fallback_allowed: bool
    live_otp: OtpChallenge | None
    override: OverrideRequest | None
    has_mobile: bool
    stock: int
    household_adults: list[Beneficiary] = field(default_factory=list)


def household_adults(beneficiary: Beneficiary, on: date) -> list[Beneficiary]:
    """Adults of the same household still in the programme (guardians and nominees come from here)."""
    people = (Beneficiary.objects.filter(household_id=beneficiary.household_id).exclude(pk=beneficiary.pk)
              .filter(present_q(on)).order_by("name"))
    adults = [p for p in people if is_adult(p.dob, on) and p.exit_reason == ""]
    adults.sort(key=lambda p: p.pk != beneficiary.mother_id)  # the mother first
    return adults


def face_owner_of(beneficiary: Beneficiary, on: date) -> tuple[Beneficiary | None, str]:
    """Whose face verifies this person's ration, and the relation: herself, or a child's guardian."""
    if not needs_guardian_face(beneficiary.dob, on):
        return beneficiary, "self"
    link = FaceOwner.objects.filter(beneficiary=beneficiary).select_related("owner").first()
    return (link.owner, link.relation) if link else (None, "")


def fallback_allowed(beneficiary: Beneficiary, *, month: date, on: date) -> bool:
    """The other ways (OTP, nominee, override) open after a failed face check, or when no face can be used."""
    owner, _relation = face_owner_of(beneficiary, on)
    if owner is None or not FaceEnrolment.objects.filter(person=owner).exists():
        return True
    return FaceCheck.objects.filter(MATCH_FAILED, beneficiary=beneficiary, month=month).exists()


def handover_state(beneficiary: Beneficiary, *, on: date) -> HandoverState:
    month = first_of_month(on)
    categories = [c for c in categories_of(beneficiary, on) if c in ENTITLED_CATEGORIES]
    owner, relation = face_owner_of(beneficiary, on)
    enrolled_ids = set(FaceEnrolment.objects.filter(
        person__in=[p for p in [owner] if p] + list(beneficiary.thr_nominees.values_list("person", flat=True))
    ).values_list("person_id", flat=True))
    nominees = [(n.person, n.person_id in enrolled_ids)
                for n in beneficiary.thr_nominees.select_related("person").order_by("person__name")]
    now = timezone.now()
    return HandoverState(
        on=on, month=month, categories=[Category(c).label for c in categories],
        packets=packets_for(categories, under_treatment=beneficiary.pk in under_treatment([beneficiary.pk], on)),
        distribution=ThrDistribution.objects.filter(beneficiary=beneficiary, month=month)
        .select_related("handed_over_by", "nominee").first(),
        needs_guardian=needs_guardian_face(beneficiary.dob, on), face_owner=owner,
        face_owner_relation=FaceOwner.Relation(relation).label if relation in FaceOwner.Relation.values else "",
        owner_enrolled=owner is not None and owner.pk in enrolled_ids, nominees=nominees,
        checks=list(FaceCheck.objects.filter(beneficiary=beneficiary, month=month).order_by("-created_at")[:5]),
        fallback_allowed=fallback_allowed(beneficiary, month=month, on=on),
        live_otp=OtpChallenge.objects.filter(beneficiary=beneficiary, month=month, verified_at__isnull=True,
                                             expires_at__gt=now).order_by("-id").first(),
        override=OverrideRequest.objects.filter(beneficiary=beneficiary, month=month)
        .exclude(status=OverrideRequest.Status.REJECTED).select_related("decided_by").first(),
        has_mobile=bool(beneficiary.household.mobile), stock=stock_balance(beneficiary.awc_id),
        household_adults=household_adults(beneficiary, on),
    )


def month_choices(today: date, count: int = 6) -> list[date]:
    months, month = [], first_of_month(today)
    for _ in range(count):
        months.append(month)
        month = first_of_month(month - timedelta(days=1))
    return months


__all__ = [
    "RegisterRow", "StockSummary", "HandoverState", "centre_beneficiaries", "centre_face_checks", "centre_of",
    "distribution_register", "entitled_people", "entitled_q", "face_owner_of", "fallback_allowed", "handover_state",
    "household_adults", "month_choices", "parse_month", "reference_day", "register_rows",
    "stock_balance", "stock_entries", "stock_summary",
]
