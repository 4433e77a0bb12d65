"""The take-home ration register: who is entitled this month, and each hand-over and how it was verified."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from beneficiaries.models import Beneficiary
from beneficiaries.selectors import members_on
from beneficiaries.signals import under_treatment
from thr_frs.entitlement import ENTITLED_CATEGORIES, packets_for
from thr_frs.models import ThrDistribution, Verification
from thr_frs.selectors import entitled_q

from .common import Sheet, categories_of, served


@dataclass
class ThrRow:
    label: str
    categories: list[str]
    packets_due: int
    given_on: str
    packets: int
    verified_by: str
    entitled: bool
    augmented: bool = False  # a child 6 months–3 years under treatment for malnutrition: the larger ration


@dataclass
class ThrRegister:
    rows: list[ThrRow]
    totals: dict[str, int]


def build(sheet: Sheet) -> ThrRegister:
    """Entitled people served on the sheet's day, then anyone else who received a ration here this month; a child
    under treatment for malnutrition (an open case on the sheet's day) is due the augmented ration, as the
    hand-over counts it (thr_frs.entitlement.packets_for)."""
    on = sheet.on
    entitled_ids = set(members_on(awc_ids=[sheet.awc.pk], on=on)
                       .filter(beneficiary__in=Beneficiary.objects.filter(entitled_q(on)).values("pk"))
                       .values_list("beneficiary_id", flat=True))
    given = {d.beneficiary_id: d for d in ThrDistribution.objects.filter(awc=sheet.awc, month=sheet.start)}
    people = {p.pk: p for p in served(sheet).filter(pk__in=entitled_ids)}
    others = Beneficiary.objects.filter(pk__in=set(given) - set(people))
    treated = under_treatment(list(people), on)
    rows = []
    verification = dict(Verification.choices)
    for person in sorted([*people.values(), *others], key=lambda p: (p.name, p.pk)):
        labels = categories_of(person)
        categories = [c for c in ENTITLED_CATEGORIES if getattr(person, f"is_{c}", False)]
        due = packets_for(categories, under_treatment=person.pk in treated)
        handed = given.get(person.pk)
        rows.append(ThrRow(
            label=sheet.person(person), categories=labels, packets_due=due,
            given_on=timezone.localtime(handed.handed_over_at).strftime("%d-%m-%Y") if handed else "",
            packets=handed.quantity if handed else 0,
            verified_by=str(verification.get(handed.verified_by, "")) if handed else "",
            entitled=person.pk in entitled_ids, augmented=due > packets_for(categories)))
    how = Counter(d.verified_by for d in given.values())
    totals = {
        "thr_entitled": len(entitled_ids), "thr_distributed": len(given),
        "packets": sum(d.quantity for d in given.values()),
        "thr_face": how[Verification.FACE], "thr_otp": how[Verification.OTP],
        "thr_nominee": how[Verification.NOMINEE], "thr_override": how[Verification.OVERRIDE],
    }
    return ThrRegister(rows, totals)
