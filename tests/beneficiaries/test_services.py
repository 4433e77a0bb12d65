"""Registering and maintaining people: consent, Aadhaar done right, pregnancies, deliveries, exits."""
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries import services
from beneficiaries.lifestage import Category
from beneficiaries.models import AwcMembership, Beneficiary, Consent, Pregnancy
from beneficiaries.selectors import categories_of, has_consent
from poshan.core.models import AuditEvent
from tests.factories import make_household, make_person, valid_aadhaar
from tests.sql import sent_statements

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def household(world, users):
    return make_household(world.awc1, actor=users.aww, mobile="9876543210", hamlet="Ward 3")


def test_register_child_with_consent_and_aadhaar_is_encrypted_at_rest(household, users):
    number = valid_aadhaar(1)
    child = make_person(household, actor=users.aww, name="Guddu", sex="M", dob=date(2025, 1, 1),
                        enrol_as="child", aadhaar=number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT aadhaar, aadhaar_index FROM beneficiaries_beneficiary WHERE id = %s", [child.pk])
        raw, index = cursor.fetchone()
    assert number not in raw and number not in index
    assert Beneficiary.objects.get(pk=child.pk).aadhaar == number
    assert child.aadhaar_masked == f"XXXX XXXX {number[-4:]}"
    assert AuditEvent.objects.filter(object_type="beneficiaries.beneficiary", object_id=str(child.pk),
                                     action="create").exists()


def test_household_mobile_encrypted_and_masked(household):
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM beneficiaries_household WHERE id = %s", [household.pk])
        assert "9876543210" not in cursor.fetchone()[0]
    assert household.mobile_masked == "XXXXXX3210"


def test_without_consent_only_name_sex_age_are_kept(world, users):
    with pytest.raises(ValidationError) as err:
        make_household(world.awc1, actor=users.aww, mobile="9876543210", consent=False)
    assert "consent" in err.value.message_dict["mobile"][0]
    bare = make_household(world.awc1, actor=users.aww, head_name="Sita", consent=False)
    person = make_person(bare, actor=users.aww, name="Sita", consent=False, age_years=30)
    assert (person.name, person.sex, person.dob_estimated) == ("Sita", "F", True)
    assert not Consent.objects.filter(beneficiary=person).exists()


def test_aadhaar_without_aadhaar_consent_is_refused(household, users):
    person = services.PersonInput(name="Meera", sex="F", age_years=25, aadhaar=valid_aadhaar(2))
    consent = services.ConsentInput(given_by="Meera", purposes=("services",))
    with pytest.raises(ValidationError) as err:
        services.beneficiary_register(actor=users.aww, household=household, person=person, consent=consent)
    assert "consent for the Aadhaar" in err.value.message_dict["aadhaar"][0]


def test_duplicate_aadhaar_names_the_other_centre_not_the_person(world, users, household):
    number = valid_aadhaar(3)
    make_person(household, actor=users.aww, name="Kamla", age_years=28, aadhaar=number)
    other = make_household(world.awc6, head_name="Elsewhere")
    with pytest.raises(ValidationError) as err:
        make_person(other, name="Kamla Again", age_years=28, aadhaar=number)
    message = err.value.message_dict["aadhaar"][0]
    assert str(world.awc1.code) in message and "migration" in message
    assert "Kamla" not in message


def test_estimated_dob_from_age(household, users):
    person = make_person(household, actor=users.aww, name="Dadi", age_years=60)
    assert person.dob == date(1966, 11, 27) and person.dob_estimated


@pytest.mark.parametrize("kwargs, field, text", [
    ({"dob": TODAY + timedelta(days=1), "enrol_as": "child"}, "dob", "future"),
    ({"dob": date(2019, 1, 1), "enrol_as": "child"}, "dob", "under 6"),
    ({"dob": date(2000, 1, 1), "enrol_as": "pregnant", "lmp": TODAY - timedelta(days=301)}, "lmp", "300 days"),
    ({"dob": date(2000, 1, 1), "enrol_as": "pregnant", "lmp": TODAY + timedelta(days=3)}, "lmp", "future"),
    ({"dob": date(2000, 1, 1), "enrol_as": "adolescent"}, "dob", "14 to 18"),
    ({"dob": date(2000, 1, 1), "enrol_as": "lactating", "delivery_date": TODAY - timedelta(days=200)},
     "delivery_date", "6 months"),
])
def test_bad_dates_get_a_clear_message(household, users, kwargs, field, text):
    with pytest.raises(ValidationError) as err:
        make_person(household, actor=users.aww, name="X", **kwargs)
    assert text in err.value.message_dict[field][0]
    assert not Beneficiary.objects.filter(name="X").exists()


def test_adolescent_enrolment_only_in_eligible_centres(world, users):
    plain = make_household(world.awc1)
    with pytest.raises(ValidationError, match="aspirational"):
        make_person(plain, name="Rani", dob=date(2011, 1, 1), enrol_as="adolescent")
    world.awc2.is_aspirational = True
    world.awc2.save()
    girl = make_person(make_household(world.awc2), name="Rani", dob=date(2011, 1, 1), enrol_as="adolescent")
    assert categories_of(girl, TODAY) == [Category.ADOLESCENT]


def test_pregnancy_edd_and_delivery_creates_newborn_and_lactating_mother(household, users):
    mother = make_person(household, actor=users.aww, name="Pooja", dob=date(1999, 4, 4), enrol_as="pregnant",
                         lmp=date(2026, 3, 1))
    pregnancy = Pregnancy.objects.get(woman=mother)
    assert pregnancy.edd == date(2026, 12, 6)
    assert categories_of(mother, TODAY) == [Category.PREGNANT]
    children = services.delivery_record(
        actor=users.aww, pregnancy=pregnancy, delivery_date=date(2026, 11, 20), outcome="live_birth",
        newborns=[services.NewbornInput(name="Baby of Pooja", sex="F", birth_weight_kg="2.40")],
    )
    child = children[0]
    assert (child.dob, child.mother, str(child.birth_weight_kg), child.household) == (
        date(2026, 11, 20), mother, "2.40", household)
    mother = Beneficiary.objects.get(pk=mother.pk)
    assert categories_of(mother, TODAY) == [Category.LACTATING]
    assert categories_of(child, TODAY) == [Category.CHILD_0_6M]


def test_delivery_before_lmp_is_refused(household, users):
    mother = make_person(household, name="Rekha", dob=date(1999, 4, 4), enrol_as="pregnant", lmp=date(2026, 6, 1))
    pregnancy = Pregnancy.objects.get(woman=mother)
    with pytest.raises(ValidationError) as err:
        services.delivery_record(actor=users.aww, pregnancy=pregnancy, delivery_date=date(2026, 5, 1),
                                 outcome="live_birth", newborns=[services.NewbornInput("B", "M", None)])
    assert "before the LMP" in err.value.message_dict["delivery_date"][0]
    assert Pregnancy.objects.get(pk=pregnancy.pk).delivery_date is None


def test_a_live_birth_without_the_babys_sex_is_refused_with_the_forms_message(household, users):
    """The rule was the delivery form's alone; the service now asks for the sex, for every caller."""
    mother = make_person(household, name="Rekha", dob=date(1999, 4, 4), enrol_as="pregnant", lmp=date(2026, 6, 1))
    pregnancy = Pregnancy.objects.get(woman=mother)
    with pytest.raises(ValidationError) as err:
        services.delivery_record(actor=users.aww, pregnancy=pregnancy, delivery_date=date(2026, 11, 20),
                                 outcome="live_birth", newborns=[services.NewbornInput("Baby of Rekha", "", None)])
    assert err.value.message_dict["child_sex"] == ["Choose the baby's sex."]
    assert Pregnancy.objects.get(pk=pregnancy.pk).delivery_date is None


def test_same_client_uuid_returns_the_first_registration(household, users):
    import uuid

    key = uuid.uuid4()
    person = services.PersonInput(name="Once", sex="M", age_years=3, enrol_as="child")
    first = services.beneficiary_register(actor=users.aww, household=household, person=person, consent=None,
                                          client_uuid=key)
    again = services.beneficiary_register(actor=users.aww, household=household, person=person, consent=None,
                                          client_uuid=key)
    assert first.pk == again.pk
    assert Beneficiary.objects.filter(name="Once").count() == 1


def test_children_age_out_at_six_with_reason_and_are_kept(household, users):
    with time_machine.travel(date(2025, 6, 1), tick=False):
        child = make_person(household, name="Chotu", sex="M", dob=date(2020, 11, 20), enrol_as="child")
    assert categories_of(child, TODAY) == []  # 6 since 20 November
    assert services.beneficiaries_exit_aged_out(on=TODAY) == 1
    assert services.beneficiaries_exit_aged_out(on=TODAY) == 0  # idempotent
    child.refresh_from_db()
    assert (child.exited_on, child.exit_reason) == (date(2026, 11, 20), "aged_out")


def test_consent_withdrawal_erases_the_aadhaar(household, users):
    number = valid_aadhaar(9)
    person = make_person(household, name="Leela", age_years=40, aadhaar=number)
    services.consent_withdraw(actor=users.aww, beneficiary=person, purposes=("aadhaar",))
    person.refresh_from_db()
    assert (person.aadhaar, person.aadhaar_index) == ("", None)
    assert has_consent(person, "services") and not has_consent(person, "aadhaar")


def test_consent_withdrawal_erases_the_family_mobile_nobody_else_consents_to(household, users):
    """The mobile is kept under 'services' consent: withdrawn by the only member who gave it, it is erased."""
    person = make_person(household, name="Leela", age_years=40)
    services.consent_withdraw(actor=users.aww, beneficiary=person, purposes=("services",))
    household.refresh_from_db()
    assert (household.mobile, household.mobile_index) == ("", "")
    event = AuditEvent.objects.filter(object_type="beneficiaries.beneficiary", object_id=str(person.pk),
                                      action="update").latest("pk")
    assert "mobile" in event.fields


def test_consent_withdrawal_keeps_the_mobile_another_member_consents_to(household, users):
    leela = make_person(household, name="Leela", age_years=40)
    make_person(household, name="Ramesh", sex="M", age_years=42)
    services.consent_withdraw(actor=users.aww, beneficiary=leela, purposes=("services",))
    household.refresh_from_db()
    assert household.mobile == "9876543210"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="data-modifying WITH queries are PostgreSQL's")
def test_a_registration_is_one_statement_with_the_rows_that_go_with_the_person(household, users):
    """On PostgreSQL the person's INSERT (also the likely-duplicate check) carries the membership, the consent and the
    audit event as WITH queries on its RETURNING: one statement, one message. They are all written, the event naming
    the person's key, which was reserved before the statement for the event's hash to cover it."""
    make_person(household, actor=users.aww, name="First", sex="F", dob=date(2024, 3, 1), enrol_as="child",
                aadhaar=valid_aadhaar(21))  # the statement prepared on this session
    with CaptureQueriesContext(connection) as seen:
        child = make_person(household, actor=users.aww, name="Second", sex="M", dob=date(2024, 3, 2),
                            enrol_as="child", aadhaar=valid_aadhaar(22))
    messages = [q["sql"] for q in seen.captured_queries if "SAVEPOINT " not in q["sql"]]
    assert len(messages) == 1, "\n".join(m[:160] for m in messages)
    assert messages[0].startswith("EXECUTE beneficiary_register_"), messages[0][:160]
    assert AwcMembership.objects.filter(beneficiary=child, end__isnull=True).count() == 1
    assert Consent.objects.filter(beneficiary=child).count() == 1
    event = AuditEvent.objects.get(object_type="beneficiaries.beneficiary", object_id=str(child.pk), action="create")
    assert event.awc_id == household.awc_id and "aadhaar" in event.fields


def test_an_adolescent_girl_of_eighteen_is_enrolled_and_one_of_nineteen_is_not(world):
    # "14 to 18 years old", as the message says: the scheme keeps a girl until her 19th birthday.
    world.awc2.is_aspirational = True
    world.awc2.save()
    home = make_household(world.awc2)
    eighteen = make_person(home, name="Kavita", dob=date(TODAY.year - 19, TODAY.month, TODAY.day) + timedelta(days=1),
                           enrol_as="adolescent")
    assert categories_of(eighteen, TODAY) == [Category.ADOLESCENT]
    with pytest.raises(ValidationError, match="14 to 18"):
        make_person(home, name="Meena", dob=date(TODAY.year - 19, TODAY.month, TODAY.day), enrol_as="adolescent")


def test_a_registration_with_aadhaar_costs_its_few_statements(household, users):
    """The person's INSERT, which is also the likely-duplicate check (nobody of the same birth at the centre: no
    read of its own; an Aadhaar number taken inserts nothing, no savepoint to name it after an error), the
    membership, the consent and the audit row. Before: the likely-duplicate read, and before that a savepoint
    pair more. A number taken leaves none of the rows that go with a person either."""
    make_person(household, actor=users.aww, name="First", sex="F", dob=date(2024, 3, 1), enrol_as="child",
                aadhaar=valid_aadhaar(11))  # the statements prepared on this session
    with CaptureQueriesContext(connection) as seen:
        child = make_person(household, actor=users.aww, name="Second", sex="M", dob=date(2024, 3, 2),
                            enrol_as="child", aadhaar=valid_aadhaar(12))
    work = [sql for sql in sent_statements(seen.captured_queries) if "SAVEPOINT" not in sql]
    # One statement on PostgreSQL (WITH queries); elsewhere the person, the membership, the consent and the event.
    assert len(work) == (1 if connection.vendor == "postgresql" else 4), "\n".join(sql[:120] for sql in work)
    assert Beneficiary.objects.get(pk=child.pk).aadhaar == valid_aadhaar(12)
    events = AuditEvent.objects.filter(object_type="beneficiaries.beneficiary", action="create").count()
    with pytest.raises(ValidationError) as taken:  # the taken number is still named after the INSERT did nothing
        make_person(household, actor=users.aww, name="Third", sex="F", dob=date(2024, 3, 3), enrol_as="child",
                    aadhaar=valid_aadhaar(12))
    assert "aadhaar" in taken.value.message_dict
    assert Beneficiary.objects.filter(name="Third").count() == 0
    assert AwcMembership.objects.filter(beneficiary__name="Third").count() == 0
    assert AuditEvent.objects.filter(object_type="beneficiaries.beneficiary", action="create").count() == events
