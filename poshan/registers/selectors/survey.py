"""The survey (household) register: every household the AWC serves and its members, with their categories."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from beneficiaries.models import Household
from beneficiaries.selectors import REGISTER_CATEGORIES
from poshan.core.masking import mask_aadhaar, mask_mobile

from .common import Sheet, age_text, categories_of, served


@dataclass
class Member:
    label: str
    sex: str
    age: str
    relation: str
    categories: list[str]
    aadhaar: str


@dataclass
class HouseholdRow:
    number: int
    head: str
    hamlet: str
    mobile: str
    members: list[Member] = field(default_factory=list)


@dataclass
class SurveyRegister:
    households: list[HouseholdRow]
    totals: dict[str, int]
    people: int


def build(sheet: Sheet) -> SurveyRegister:
    """Households in order of their head's name; members by age. Totals count each person once per category."""
    people = list(served(sheet).select_related("household").order_by(
        "household__head_name", "household_id", "dob", "pk"))
    totals = {str(c): 0 for c in REGISTER_CATEGORIES}
    totals.update(beneficiaries=0, aadhaar_seeded=0)
    rows: dict[int, HouseholdRow] = {}
    for person in people:
        household: Household = person.household
        row = rows.get(household.pk)
        if row is None:
            number = len(rows) + 1
            row = rows[household.pk] = HouseholdRow(
                number=number,
                head=household.head_name if sheet.show_names else _("Household %(n)s") % {"n": number},
                hamlet=household.hamlet if sheet.show_names else "",
                mobile=mask_mobile(household.mobile) if sheet.show_names else "")
        labels = categories_of(person)
        for c in REGISTER_CATEGORIES:
            totals[str(c)] += bool(getattr(person, f"is_{c}"))
        if labels:
            totals["beneficiaries"] += 1
            totals["aadhaar_seeded"] += bool(person.seeded)
        aadhaar = mask_aadhaar(person.aadhaar) if person.aadhaar else (
            _("linked to a guardian's") if person.aadhaar_guardian_id else "")
        row.members.append(Member(sheet.person(person), person.get_sex_display(), age_text(person.dob, sheet.on),
                                  person.get_relation_to_head_display(), labels, aadhaar))
    return SurveyRegister(list(rows.values()), totals, len(people))
