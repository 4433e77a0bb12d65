"""factory_boy factories: the geography chain and users of every role."""
from __future__ import annotations

import factory

from anganwadi.models import Location
from anganwadi.services import staff_create
from poshan.core.models import User
from poshan.core.roles import Level

TEST_PASSWORD = "test-pass-2026!"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    level = Level.STATE
    code = factory.Sequence(lambda n: 1000 + n)
    name = factory.LazyAttribute(lambda o: f"{o.level} {o.code}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        location = model_class(*args, **kwargs)
        location.fill_ancestors()
        location.save()
        return location


def chain(parent: Location, *levels: str) -> list[Location]:
    """Locations one below the other under `parent`, e.g. chain(state, DISTRICT, PROJECT)."""
    made = []
    for level in levels:
        parent = LocationFactory(level=level, parent=parent)
        made.append(parent)
    return made


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a role and location, made through the staff service (groups and all)."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = "aww"
    location = None

    @classmethod
    def _create(cls, model_class, *, username, role, location, **kwargs):
        return staff_create(actor=None, username=username, password=TEST_PASSWORD, role=role, location=location)


# --- beneficiaries ----------------------------------------------------------------------------------

FULL_CONSENT_PURPOSES = ("services", "aadhaar", "face", "sms")


def valid_aadhaar(seed: int) -> str:
    """A 12-digit number with a correct Verhoeff check digit (never starting with 0/1)."""
    from beneficiaries.aadhaar import verhoeff_check_digit

    body = f"{2 + seed % 8}{seed % 10**10:010d}"
    return body + verhoeff_check_digit(body)


def make_household(awc, *, actor=None, head_name="Ramesh Kumar", mobile="", consent=True, **extra):
    from beneficiaries import services

    return services.household_register(
        actor=actor, awc=awc,
        data=services.HouseholdInput(head_name=head_name, mobile=mobile, **extra),
        consent=services.ConsentInput(given_by=head_name, purposes=FULL_CONSENT_PURPOSES) if consent else None,
    )


def make_person(household, *, actor=None, name="Asha", sex="F", dob=None, enrol_as="member", consent=True, **extra):
    from beneficiaries import services

    person = services.PersonInput(name=name, sex=sex, dob=dob, enrol_as=enrol_as, **extra)
    return services.beneficiary_register(
        actor=actor, household=household, person=person,
        consent=services.ConsentInput(given_by=name, purposes=FULL_CONSENT_PURPOSES) if consent else None,
    )
