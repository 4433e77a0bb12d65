"""Registering a family and its members (one transaction each; a retried client id answers the first)."""
from __future__ import annotations


from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from anganwadi.models import Location
from poshan.core.audit import audit_insert, audit_record
from poshan.core.idempotency import RowInsert, create_once, insert_together, row_insert, saved_before
from poshan.core.models import AuditEvent
from poshan.core.names import check_names

from ... import lifestage
from .. import lookups
from ...numbers import aadhaar_index, mobile_index
from ...models import AwcMembership, Beneficiary, Household, Pregnancy
from ..consent import ConsentInput, _check_consent, _consent_row

from .inputs import EnrolAs, HouseholdInput, PersonInput
from .rules import (_AadhaarTaken, _answer_taken, _check_enrolment, _clean_numbers, _refuse_duplicate_aadhaar,
                    _require_awc, _resolve_dob, _same_birth, _warn_likely_duplicate)


def household_register(*, actor, awc: Location, data: HouseholdInput, consent: ConsentInput | None,
                       client_uuid=None) -> Household:
    """A household on its own (its members are registered with beneficiary_register)."""
    _require_awc(awc)
    check_names(head_name=data.head_name)

    def create() -> Household:
        _check_consent(consent, values={"hamlet": data.hamlet, "address": data.address, "mobile": data.mobile},
                       aadhaar="")
        _, mobile = _clean_numbers("", data.mobile)
        household = Household(awc=awc, client_uuid=client_uuid, head_name=data.head_name.strip(), hamlet=data.hamlet,
                              address=data.address, social_category=data.social_category,
                              is_minority=data.is_minority, mobile=mobile,
                              mobile_index=mobile_index(mobile) if mobile else "")
        household.full_clean(exclude=["mobile_index", "awc"])  # the centre is checked above (no read of it again)
        household.save()
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=household, awc_id=awc.pk,
                     fields=[f for f in ("head_name", "hamlet", "address", "social_category", "is_minority", "mobile")
                             if getattr(household, f)])
        return household

    household, _created = create_once(Household, client_uuid=client_uuid, scope={"awc": awc}, create=create)
    return household


def beneficiary_register(*, actor, household: Household, person: PersonInput, consent: ConsentInput | None,
                         client_uuid=None, confirm_duplicate: bool = False) -> Beneficiary:
    """Register a person in a household; an enrolment as pregnant/lactating records the pregnancy too.

    An Aadhaar number registered already is refused; that look-up is audited and counted (services.lookups).
    A likely duplicate at the centre (same name, sex, date of birth and mother) is refused with the code
    "likely_duplicate" unless the worker confirms it is a different person (confirm_duplicate=True).
    """
    if person.aadhaar:
        lookups.lookup_allowed_or_refuse(actor)
    try:
        return _beneficiary_register(actor=actor, household=household, person=person, consent=consent,
                                     client_uuid=client_uuid, confirm_duplicate=confirm_duplicate)
    except _AadhaarTaken as taken:
        raise _answer_taken(actor, taken) from None


def register_with_new_household(*, actor, awc: Location, household: HouseholdInput, person: PersonInput,
                                consent: ConsentInput | None, client_uuid=None,
                                confirm_duplicate: bool = False) -> Beneficiary:
    """A new family and its first person in one transaction: a refused person leaves no family behind.

    The client id is the person's: a repeated submission is answered with the person first registered.
    """
    if person.aadhaar:
        lookups.lookup_allowed_or_refuse(actor)

    # No look-up of the client id first: a retry writes the family, finds its person saved already (nothing goes in;
    # _beneficiary_register answers with the first), and the family written for it is undone.
    try:
        with transaction.atomic():
            family = household_register(actor=actor, awc=awc, data=household, consent=consent)
            beneficiary = _beneficiary_register(actor=actor, household=family, person=person, consent=consent,
                                                client_uuid=client_uuid, confirm_duplicate=confirm_duplicate)
            if beneficiary.household_id != family.pk:
                raise _Replayed(beneficiary)
    except _Replayed as replayed:
        return replayed.first
    except _AadhaarTaken as taken:
        raise _answer_taken(actor, taken) from None
    except ValidationError:
        first = saved_before(Beneficiary, client_uuid=client_uuid, scope={"awc": awc})
        if first is not None:  # a retry refused by today's rules (the centre closed since): the first answer stands
            return first
        raise
    return beneficiary


class _Replayed(Exception):
    """A retried new-family registration: its person was saved by the first; the family made again is undone."""

    def __init__(self, first: Beneficiary) -> None:
        super().__init__()
        self.first = first


def _beneficiary_register(*, actor, household: Household, person: PersonInput, consent: ConsentInput | None,
                          client_uuid=None, confirm_duplicate: bool = False) -> Beneficiary:
    """The person, the membership, the consent, the pregnancy and the audit event, written together or not at all
    (insert_together: one statement on PostgreSQL, one round trip with its commit). A retried client id is answered
    with the person it registered; a refusal names why nothing went in (a likely duplicate, a taken Aadhaar number)."""
    awc = household.awc
    _require_awc(awc)
    check_names(name=person.name)
    today = timezone.localdate()
    try:
        dob, estimated = _resolve_dob(person, today)
        _check_enrolment(person, dob, awc, today)
        _check_consent(consent, values={"disability": person.disability}, aadhaar=person.aadhaar)
        aadhaar, _mobile = _clean_numbers(person.aadhaar, "")
        index = aadhaar_index(aadhaar) if aadhaar else None
        beneficiary = Beneficiary(
            awc=awc, household=household, client_uuid=client_uuid, name=person.name.strip(), sex=person.sex, dob=dob,
            dob_estimated=estimated, relation_to_head=person.relation_to_head, disability=person.disability,
            is_resident=person.is_resident, aadhaar=aadhaar, aadhaar_index=index,
            aadhaar_guardian=person.aadhaar_guardian, mother=person.mother,
        )
        # Field validation only: the unique Aadhaar index and the check constraints are enforced by the
        # database on insert (one query fewer per registration than asking first).
        beneficiary.full_clean(exclude=["aadhaar_index", "household", "awc"], validate_unique=False,
                               validate_constraints=False)
    except ValidationError:
        # A retry of a registration saved already is answered with it, even if today's rules would refuse it (a
        # child's age has crossed a line since): the first answer stands.
        replayed = saved_before(Beneficiary, client_uuid=client_uuid, scope={"awc": awc})
        if replayed is not None:
            return replayed
        raise

    def rows() -> list[RowInsert]:
        """What goes in with the person, once its key is known: rows nobody reads back, and its audit event."""
        out = [row_insert(AwcMembership(beneficiary=beneficiary, awc=awc, start=today))]
        if consent is not None:
            out.append(row_insert(_consent_row(actor=actor, beneficiary=beneficiary, consent=consent)))
        if person.enrol_as == EnrolAs.PREGNANT:
            out.append(row_insert(Pregnancy(woman=beneficiary, lmp=person.lmp, edd=lifestage.edd(person.lmp))))
        elif person.enrol_as == EnrolAs.LACTATING:
            out.append(row_insert(Pregnancy(woman=beneficiary, delivery_date=person.delivery_date,
                                            outcome=Pregnancy.Outcome.LIVE_BIRTH)))
        out.append(audit_insert(actor=actor, action=AuditEvent.Action.CREATE, obj=beneficiary, awc_id=awc.pk,
                                fields=[f for f in ("name", "sex", "dob", "disability", "aadhaar", "aadhaar_guardian")
                                        if getattr(beneficiary, f)] + (["consent"] if consent else [])))
        return out

    # The person's INSERT is also the likely-duplicate check: unless the worker confirmed a different person, it
    # inserts nothing when someone of the same birth is on the centre's register (most registrations meet nobody:
    # no probe of its own). A unique value there already (the client id, the Aadhaar number) inserts nothing too.
    # Only when nothing went in is it asked why.
    same_birth = None if confirm_duplicate else _same_birth(person, dob, awc)
    if insert_together(beneficiary, then=rows, unless_where=same_birth, prepared_as="beneficiary_register"):
        return beneficiary
    replayed = saved_before(Beneficiary, client_uuid=client_uuid, scope={"awc": awc})
    if replayed is not None:
        return replayed
    if same_birth is not None:
        _warn_likely_duplicate(person, same_birth)  # the same name: refused; another name is someone else
        if insert_together(beneficiary, then=rows, prepared_as="beneficiary_register"):
            return beneficiary
    if index is not None:
        _refuse_duplicate_aadhaar(index)
    raise IntegrityError("a unique value of the person is registered already")
