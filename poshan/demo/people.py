"""Demo families for the demo world, registered through the real services (audited, encrypted)."""
from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from anganwadi.models import Location
from beneficiaries import services
from beneficiaries.aadhaar import verhoeff_check_digit
from beneficiaries.models import AwcMembership, Beneficiary, Pregnancy
from beneficiaries.selectors import children_q

FAMILIES_PER_AWC = 12
SEED = 2026
MEN = ["Ramesh", "Suresh", "Mahesh", "Rajesh", "Dinesh", "Mukesh", "Prakash", "Anil", "Sunil", "Vijay", "Manoj",
       "Santosh", "Raju", "Gopal", "Harish", "Imran", "Salim", "Joseph"]
WOMEN = ["Sunita", "Anita", "Geeta", "Seema", "Rekha", "Pooja", "Kavita", "Meena", "Savita", "Lakshmi", "Radha",
         "Shabana", "Nazma", "Mary", "Kamla", "Rani", "Sarita", "Usha"]
CHILDREN_M = ["Aarav", "Vivaan", "Aditya", "Arjun", "Rohan", "Kabir", "Ayaan", "Ishaan", "Krishna", "Sahil"]
CHILDREN_F = ["Aadhya", "Ananya", "Diya", "Pari", "Saanvi", "Myra", "Kiara", "Anika", "Ira", "Riya"]
SURNAMES = ["Kumar", "Yadav", "Sharma", "Verma", "Ahirwar", "Patel", "Khan", "Kushwaha", "Lodhi", "Meena"]
HAMLETS = ["Ward 1", "Ward 2", "Harijan Basti", "Kumhar Tola", "Naya Gaon", "Station Road"]
MIDDLE_NAMES = ["Kumar", "Lal", "Prasad", "Singh", "Devi", "Bai"]  # only if every first name is taken
HISTORY_MONTHS = 6  # the demo people joined their centre this many months back (or at birth, if later)


def _unique_name(rng: random.Random, firsts: list[str], surname: str, used: set[str]) -> str:
    """A name nobody else at the centre has: two children called "Ishaan Meena" on one sheet cannot be told apart."""
    for first in rng.sample(firsts, len(firsts)):
        if (name := f"{first} {surname}") not in used:
            used.add(name)
            return name
    for middle in MIDDLE_NAMES:
        for first in firsts:
            if (name := f"{first} {middle} {surname}") not in used:
                used.add(name)
                return name
    raise ValueError(f"no unused name left for the surname {surname}")


def demo_aadhaar(n: int) -> str:
    body = f"{2 + n % 8}{(n * 7919) % 10**10:010d}"
    return body + verhoeff_check_digit(body)


def _consent(name: str) -> services.ConsentInput:
    return services.ConsentInput(given_by=name, relation="self", purposes=("services", "aadhaar", "face", "sms"))


def _family(rng: random.Random, awc: Location, n: int, today: date, actor, used: set[str],
            heads: set[str]) -> list[Beneficiary]:
    surname = rng.choice(SURNAMES)
    father, mother_name = _unique_name(rng, MEN, surname, heads), _unique_name(rng, WOMEN, surname, used)
    household = services.household_register(
        actor=actor, awc=awc, consent=_consent(father),
        data=services.HouseholdInput(head_name=father, hamlet=rng.choice(HAMLETS),
                                     social_category=rng.choice(["sc", "st", "obc", "general"]),
                                     mobile=f"{rng.choice('6789')}{rng.randrange(10**9):09d}"),
    )
    made = []
    seeded = rng.random() < 0.8
    situation = rng.random()
    person = services.PersonInput(name=mother_name, sex="F", dob=today - timedelta(days=rng.randint(19, 34) * 365),
                                  relation_to_head="spouse", aadhaar=demo_aadhaar(awc.code * 100 + n) if seeded else "")
    if situation < 0.25:
        person.enrol_as, person.lmp = services.EnrolAs.PREGNANT, today - timedelta(days=rng.randint(30, 260))
    elif situation < 0.45:
        person.enrol_as, person.delivery_date = services.EnrolAs.LACTATING, today - timedelta(days=rng.randint(5, 170))
    mother = services.beneficiary_register(actor=actor, household=household, person=person,
                                           consent=_consent(mother_name))
    made.append(mother)
    children_dobs = []
    if person.delivery_date:
        children_dobs.append(person.delivery_date)
    children_dobs += [today - timedelta(days=rng.randint(200, 6 * 365 - 30)) for _ in range(rng.randint(0, 2))]
    for dob in children_dobs:
        sex = rng.choice("MF")
        child_name = _unique_name(rng, CHILDREN_M if sex == "M" else CHILDREN_F, surname, used)
        child = services.beneficiary_register(
            actor=actor, household=household, consent=_consent(mother_name),
            person=services.PersonInput(name=child_name, sex=sex, dob=dob, enrol_as=services.EnrolAs.CHILD,
                                        relation_to_head="son" if sex == "M" else "daughter"),
        )
        Beneficiary.objects.filter(pk=child.pk).update(mother=mother)
        made.append(child)
    if awc.is_aspirational and rng.random() < 0.3:
        made.append(services.beneficiary_register(
            actor=actor, household=household, consent=_consent(mother_name),
            person=services.PersonInput(name=_unique_name(rng, CHILDREN_F, surname, used), sex="F",
                                        dob=today - timedelta(days=rng.randint(14 * 365 + 10, 17 * 365)),
                                        enrol_as=services.EnrolAs.ADOLESCENT, relation_to_head="daughter"),
        ))
    return made


@transaction.atomic
def build_people(awcs: list[Location], *, actor=None) -> list[Beneficiary]:
    """About 12 families per AWC: mothers (pregnant, lactating), children of every band, adolescent girls."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    people = []
    for awc in awcs:
        used: set[str] = set()
        heads: set[str] = set()
        for n in range(FAMILIES_PER_AWC):
            people += _family(rng, awc, n, today, actor, used, heads)
    _joined_earlier(people, today)
    return people


def _joined_earlier(people: list[Beneficiary], today: date) -> None:
    """The demo families have been served for months (the portal registers them today): their memberships start
    HISTORY_MONTHS back, or at birth, so the previous months' dashboards count them."""
    joined = today.replace(day=1)
    for _ in range(HISTORY_MONTHS):
        joined = (joined - timedelta(days=1)).replace(day=1)
    by_start: dict[date, list[int]] = {}
    for person in people:
        start = max(joined, person.dob) if person.dob else joined
        by_start.setdefault(start, []).append(person.pk)
    for start, ids in by_start.items():
        AwcMembership.objects.filter(beneficiary_id__in=ids, end__isnull=True).update(start=start)


def demo_children(awcs: list[Location]) -> list[Beneficiary]:
    today = timezone.localdate()
    return list(Beneficiary.objects.filter(children_q(today), awc__in=awcs).select_related("awc"))


def demo_pregnancies(awcs: list[Location]) -> list[Pregnancy]:
    return list(Pregnancy.objects.filter(woman__awc__in=awcs))
