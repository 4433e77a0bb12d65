"""What a form or the API hands the people services: a person, a household, what she is enrolled as."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...models import Beneficiary


MIN_MOTHER_AGE = 10


class EnrolAs:
    CHILD = "child"
    PREGNANT = "pregnant"
    LACTATING = "lactating"
    ADOLESCENT = "adolescent"
    MEMBER = "member"
    CHOICES = (CHILD, PREGNANT, LACTATING, ADOLESCENT, MEMBER)


@dataclass
class PersonInput:
    name: str
    sex: str
    dob: date | None = None
    age_years: int | None = None
    relation_to_head: str = Beneficiary.Relation.OTHER
    disability: str = ""
    is_resident: bool = True
    aadhaar: str = ""
    aadhaar_guardian: Beneficiary | None = None
    mother: Beneficiary | None = None
    enrol_as: str = EnrolAs.MEMBER
    lmp: date | None = None
    delivery_date: date | None = None


@dataclass
class HouseholdInput:
    head_name: str
    hamlet: str = ""
    address: str = ""
    social_category: str = ""
    is_minority: bool = False
    mobile: str = ""
    extra: dict = field(default_factory=dict)
