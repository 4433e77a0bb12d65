"""Every write about households and people: registration, consent, pregnancy, delivery, moves, exits."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anganwadi.models import Location
from poshan.core.audit import audit_record
from poshan.core.crypto import blind_index
from poshan.core.idempotency import create_once
from poshan.core.models import AuditEvent
from poshan.core.roles import Level

from .. import lifestage
from . import lookups
from ..aadhaar import InvalidNumber, normalize_aadhaar, normalize_mobile
from ..models import AwcMembership, Beneficiary, Consent, Household, Pregnancy, Transfer
from ..signals import people_moved

Purpose = Consent.Purpose
# Without consent only name, sex and age are kept; these need the purpose named.
NEEDS_SERVICES_CONSENT = ("hamlet", "address", "mobile", "disability")
AADHAAR_PURPOSE = "aadhaar"
MIN_MOTHER_AGE = 10


class EnrolAs:
    CHILD = "child"
    PREGNANT = "pregnant"
    LACTATING = "lactating"
    ADOLESCENT = "adolescent"
    MEMBER = "member"
    CHOICES = (CHILD, PREGNANT, LACTATING, ADOLESCENT, MEMBER)


@dataclass(frozen=True)
class ConsentInput:
    given_by: str
    relation: str = "self"
    purposes: tuple[str, ...] = (Purpose.SERVICES,)


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


def _today() -> date:
    return timezone.localdate()


def _aadhaar_index(number: str) -> str:
    return blind_index(number, purpose="aadhaar")


def mobile_index(number: str) -> str:
    return blind_index(number, purpose="mobile")


def _awc_eligible_for_adolescents(awc: Location) -> bool:
    return awc.is_aspirational or awc.is_north_east


def _resolve_dob(person: PersonInput, today: date) -> tuple[date, bool]:
    if person.dob is not None:
        if person.dob > today:
            raise ValidationError({"dob": _("The date of birth cannot be in the future.")})
        return person.dob, False
    if person.age_years is None:
        raise ValidationError({"dob": _("Give the date of birth, or the age in years if it is not known.")})
    if not 0 <= person.age_years <= 120:
        raise ValidationError({"age_years": _("Give an age between 0 and 120 years.")})
    return lifestage.years_before(today, person.age_years), True


def _check_enrolment(person: PersonInput, dob: date, awc: Location, today: date) -> None:
    """The category the worker enrols the person in must fit their dates."""
    kind = person.enrol_as
    age = lifestage.age_in_years(dob, today)
    if kind == EnrolAs.CHILD and lifestage.child_band(dob, today) is None:
        raise ValidationError({"dob": _("A child must be under 6 years old to be enrolled (this one is %(age)s).")
                               % {"age": age}})
    if kind == EnrolAs.ADOLESCENT:
        if person.sex != Beneficiary.Sex.FEMALE:
            raise ValidationError({"sex": _("Only girls are enrolled as adolescent girls.")})
        if not lifestage.is_adolescent(dob, person.sex, today, awc_eligible=True):
            raise ValidationError({"dob": _("An adolescent girl must be 14 to 18 years old (this one is %(age)s).")
                                   % {"age": age}})
        if not _awc_eligible_for_adolescents(awc):
            raise ValidationError({"enrol_as": _("Adolescent girls are enrolled only in aspirational districts "
                                                 "and the North-East.")})
    if kind in (EnrolAs.PREGNANT, EnrolAs.LACTATING):
        if person.sex != Beneficiary.Sex.FEMALE:
            raise ValidationError({"sex": _("Only women can be enrolled as pregnant or lactating.")})
        if age < MIN_MOTHER_AGE:
            raise ValidationError({"dob": _("Check the date of birth: she is only %(age)s.") % {"age": age}})
    if kind == EnrolAs.PREGNANT:
        check_lmp(person.lmp, today)
    if kind == EnrolAs.LACTATING:
        if person.delivery_date is None:
            raise ValidationError({"delivery_date": _("Give the date of delivery.")})
        if person.delivery_date > today:
            raise ValidationError({"delivery_date": _("The delivery date cannot be in the future.")})
        if not lifestage.is_lactating(person.delivery_date, today):
            raise ValidationError({"delivery_date": _("A lactating mother delivered in the last 6 months; "
                                                      "this delivery is older.")})


def check_lmp(lmp: date | None, today: date) -> None:
    if lmp is None:
        raise ValidationError({"lmp": _("Give the date of the last menstrual period (LMP).")})
    if lmp > today:
        raise ValidationError({"lmp": _("The LMP cannot be in the future.")})
    if (today - lmp).days > lifestage.MAX_LMP_AGE_DAYS:
        raise ValidationError({"lmp": _("This LMP is more than %(days)s days ago: if the baby is born, "
                                        "record the delivery instead.") % {"days": lifestage.MAX_LMP_AGE_DAYS}})


def _check_consent(consent: ConsentInput | None, *, values: dict[str, object], aadhaar: str) -> None:
    purposes = set(consent.purposes) if consent else set()
    errors = {}
    if Purpose.SERVICES not in purposes:
        for name in NEEDS_SERVICES_CONSENT:
            if values.get(name):
                errors[name] = _("Record the family's consent before saving this.")
    if aadhaar and AADHAAR_PURPOSE not in purposes:
        errors["aadhaar"] = _("Record consent for the Aadhaar number before saving it.")
    if consent is not None and not consent.given_by.strip():
        errors["consent_given_by"] = _("Write who gave the consent.")
    if errors:
        raise ValidationError(errors)


def _clean_numbers(aadhaar: str, mobile: str) -> tuple[str, str]:
    errors = {}
    clean_aadhaar = clean_mobile = ""
    if aadhaar:
        try:
            clean_aadhaar = normalize_aadhaar(aadhaar)
        except InvalidNumber as exc:
            errors["aadhaar"] = _(str(exc))
    if mobile:
        try:
            clean_mobile = normalize_mobile(mobile)
        except InvalidNumber as exc:
            errors["mobile"] = _(str(exc))
    if errors:
        raise ValidationError(errors)
    return clean_aadhaar, clean_mobile


class _AadhaarTaken(Exception):
    """Raised inside a registration's transaction, answered after its rollback (so the look-up's audit stays)."""

    def __init__(self, existing: Beneficiary):
        super().__init__(existing.pk)
        self.existing = existing


def _refuse_duplicate_aadhaar(index: str, *, exclude_pk: int | None = None) -> None:
    existing = Beneficiary.objects.filter(aadhaar_index=index).exclude(pk=exclude_pk).select_related("awc").first()
    if existing is not None:
        raise _AadhaarTaken(existing)


def _answer_taken(actor, taken: _AadhaarTaken) -> ValidationError:
    lookups.lookup_record(actor=actor, purpose=lookups.REGISTRATION, found=taken.existing)
    return lookups.duplicate_error(actor=actor, existing=taken.existing)


def _consent_save(*, actor, beneficiary: Beneficiary, consent: ConsentInput | None) -> None:
    if consent is not None:
        Consent.objects.create(beneficiary=beneficiary, given_by=consent.given_by.strip(), relation=consent.relation,
                               purposes=sorted(set(consent.purposes)), recorded_by=actor)


def _require_awc(awc: Location) -> None:
    if awc.level != Level.AWC or not awc.is_active:
        raise ValidationError(_("Choose an active Anganwadi centre."))


@transaction.atomic
def household_register(*, actor, awc: Location, data: HouseholdInput, consent: ConsentInput | None,
                       client_uuid=None) -> Household:
    """A household on its own (its members are registered with beneficiary_register)."""
    _require_awc(awc)

    def create() -> Household:
        _check_consent(consent, values={"hamlet": data.hamlet, "address": data.address, "mobile": data.mobile},
                       aadhaar="")
        _, mobile = _clean_numbers("", data.mobile)
        household = Household(awc=awc, client_uuid=client_uuid, head_name=data.head_name.strip(), hamlet=data.hamlet,
                              address=data.address, social_category=data.social_category,
                              is_minority=data.is_minority, mobile=mobile,
                              mobile_index=mobile_index(mobile) if mobile else "")
        household.full_clean(exclude=["mobile_index"])
        household.save()
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=household, awc_id=awc.pk,
                     fields=[f for f in ("head_name", "hamlet", "address", "social_category", "is_minority", "mobile")
                             if getattr(household, f)])
        return household

    household, _created = create_once(Household, client_uuid=client_uuid, scope={"awc": awc}, create=create)
    return household


def beneficiary_register(*, actor, household: Household, person: PersonInput, consent: ConsentInput | None,
                         client_uuid=None) -> Beneficiary:
    """Register a person in a household; an enrolment as pregnant/lactating records the pregnancy too.

    An Aadhaar number registered already is refused; that look-up is audited and counted (services.lookups).
    """
    if person.aadhaar:
        lookups.lookup_allowed_or_refuse(actor)
    try:
        return _beneficiary_register(actor=actor, household=household, person=person, consent=consent,
                                     client_uuid=client_uuid)
    except _AadhaarTaken as taken:
        raise _answer_taken(actor, taken) from None


def register_with_new_household(*, actor, awc: Location, household: HouseholdInput, person: PersonInput,
                                consent: ConsentInput | None, client_uuid=None) -> Beneficiary:
    """A new family and its first person in one transaction: a refused person leaves no family behind.

    The client id is the person's: a repeated submission is answered with the person first registered.
    """
    if person.aadhaar:
        lookups.lookup_allowed_or_refuse(actor)

    def create() -> Beneficiary:
        family = household_register(actor=actor, awc=awc, data=household, consent=consent)
        return _beneficiary_register(actor=actor, household=family, person=person, consent=consent,
                                     client_uuid=client_uuid)

    try:
        with transaction.atomic():
            beneficiary, _created = create_once(Beneficiary, client_uuid=client_uuid, scope={"awc": awc},
                                                create=create)
    except _AadhaarTaken as taken:
        raise _answer_taken(actor, taken) from None
    return beneficiary


@transaction.atomic
def _beneficiary_register(*, actor, household: Household, person: PersonInput, consent: ConsentInput | None,
                          client_uuid=None) -> Beneficiary:
    awc = household.awc
    _require_awc(awc)
    today = _today()

    def create() -> Beneficiary:
        dob, estimated = _resolve_dob(person, today)
        _check_enrolment(person, dob, awc, today)
        _check_consent(consent, values={"disability": person.disability}, aadhaar=person.aadhaar)
        aadhaar, _mobile = _clean_numbers(person.aadhaar, "")
        index = _aadhaar_index(aadhaar) if aadhaar else None
        beneficiary = Beneficiary(
            awc=awc, household=household, client_uuid=client_uuid, name=person.name.strip(), sex=person.sex, dob=dob,
            dob_estimated=estimated, relation_to_head=person.relation_to_head, disability=person.disability,
            is_resident=person.is_resident, aadhaar=aadhaar, aadhaar_index=index,
            aadhaar_guardian=person.aadhaar_guardian,
        )
        # Field validation only: the unique Aadhaar index and the check constraints are enforced by the
        # database on insert (one query fewer per registration than asking first).
        beneficiary.full_clean(exclude=["aadhaar_index", "household", "awc"], validate_unique=False,
                               validate_constraints=False)
        if index is None:
            beneficiary.save()
        else:
            try:
                with transaction.atomic():  # a savepoint, so the duplicate can be named after the error
                    beneficiary.save()
            except IntegrityError:
                _refuse_duplicate_aadhaar(index)
                raise
        AwcMembership.objects.create(beneficiary=beneficiary, awc=awc, start=today)
        _consent_save(actor=actor, beneficiary=beneficiary, consent=consent)
        if person.enrol_as == EnrolAs.PREGNANT:
            Pregnancy.objects.create(woman=beneficiary, lmp=person.lmp, edd=lifestage.edd(person.lmp))
        elif person.enrol_as == EnrolAs.LACTATING:
            Pregnancy.objects.create(woman=beneficiary, delivery_date=person.delivery_date,
                                     outcome=Pregnancy.Outcome.LIVE_BIRTH)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=beneficiary, awc_id=awc.pk,
                     fields=[f for f in ("name", "sex", "dob", "disability", "aadhaar", "aadhaar_guardian")
                             if getattr(beneficiary, f)] + (["consent"] if consent else []))
        return beneficiary

    beneficiary, _created = create_once(Beneficiary, client_uuid=client_uuid, scope={"awc": awc}, create=create)
    return beneficiary


EDITABLE = ("name", "sex", "dob", "relation_to_head", "disability", "is_resident")


def beneficiary_update(*, actor, beneficiary: Beneficiary, changes: dict, aadhaar: str | None = None,
                       consent: ConsentInput | None = None) -> Beneficiary:
    """Edit a person; a new Aadhaar needs consent and must not be registered elsewhere (an audited look-up)."""
    if aadhaar:
        lookups.lookup_allowed_or_refuse(actor)
    try:
        return _beneficiary_update(actor=actor, beneficiary=beneficiary, changes=changes, aadhaar=aadhaar,
                                   consent=consent)
    except _AadhaarTaken as taken:
        raise _answer_taken(actor, taken) from None


@transaction.atomic
def _beneficiary_update(*, actor, beneficiary: Beneficiary, changes: dict, aadhaar: str | None,
                        consent: ConsentInput | None) -> Beneficiary:
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if beneficiary.exited_on:
        raise ValidationError(_("This person has left the programme; their record can no longer be edited."))
    today = _today()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if changes.get("dob") and changes["dob"] > today:
        raise ValidationError({"dob": _("The date of birth cannot be in the future.")})
    purposes = _current_purposes(beneficiary) | (set(consent.purposes) if consent else set())
    if changes.get("disability") and Purpose.SERVICES not in purposes:
        raise ValidationError({"disability": _("Record the family's consent before saving this.")})
    changed = [name for name, value in changes.items() if getattr(beneficiary, name) != value]
    for name in changed:
        setattr(beneficiary, name, changes[name])
    if "dob" in changed:
        beneficiary.dob_estimated = False
    if aadhaar:
        if AADHAAR_PURPOSE not in purposes:
            raise ValidationError({"aadhaar": _("Record consent for the Aadhaar number before saving it.")})
        number, _mobile = _clean_numbers(aadhaar, "")
        index = _aadhaar_index(number)
        _refuse_duplicate_aadhaar(index, exclude_pk=beneficiary.pk)
        if index != beneficiary.aadhaar_index:
            beneficiary.aadhaar, beneficiary.aadhaar_index = number, index
            changed.append("aadhaar")
    _consent_save(actor=actor, beneficiary=beneficiary, consent=consent)
    if not changed and consent is None:
        return beneficiary
    beneficiary.full_clean(exclude=["aadhaar_index", "household", "awc"])
    beneficiary.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=beneficiary, awc_id=beneficiary.awc_id,
                 fields=changed + (["consent"] if consent else []))
    return beneficiary


def _current_purposes(beneficiary: Beneficiary) -> set[str]:
    purposes: set[str] = set()
    for consent in beneficiary.consents.filter(withdrawn_at__isnull=True):
        purposes.update(consent.purposes)
    return purposes


def has_consent(beneficiary: Beneficiary, purpose: str) -> bool:
    return purpose in _current_purposes(beneficiary)


@transaction.atomic
def consent_record(*, actor, beneficiary: Beneficiary, consent: ConsentInput) -> None:
    """Consent given after registration (e.g. for the face check before THR enrolment)."""
    if beneficiary.exited_on:
        raise ValidationError(_("This person has left the programme."))
    if not consent.given_by.strip():
        raise ValidationError({"consent_given_by": _("Write who gave the consent.")})
    _consent_save(actor=actor, beneficiary=beneficiary, consent=consent)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=beneficiary, awc_id=beneficiary.awc_id,
                 fields=["consent"])


@transaction.atomic
def consent_withdraw(*, actor, beneficiary: Beneficiary, purposes: tuple[str, ...]) -> None:
    """Withdraw purposes: data kept only under a withdrawn purpose is erased (Aadhaar, mobile)."""
    now = timezone.now()
    kept: set[str] = set()
    for consent in beneficiary.consents.filter(withdrawn_at__isnull=True):
        remaining = [p for p in consent.purposes if p not in purposes]
        consent.withdrawn_at = now
        consent.save(update_fields=["withdrawn_at"])
        if remaining:
            Consent.objects.create(beneficiary=beneficiary, given_by=consent.given_by, relation=consent.relation,
                                   purposes=remaining, recorded_by=actor)
            kept.update(remaining)
    erased = []
    if AADHAAR_PURPOSE not in kept and beneficiary.aadhaar_index:
        beneficiary.aadhaar, beneficiary.aadhaar_index = "", None
        beneficiary.save(update_fields=["aadhaar", "aadhaar_index"])
        erased.append("aadhaar")
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=beneficiary, awc_id=beneficiary.awc_id,
                 fields=["consent_withdrawn", *erased])


@transaction.atomic
def pregnancy_register(*, actor, woman: Beneficiary, lmp: date, client_uuid=None) -> Pregnancy:
    today = _today()

    def create() -> Pregnancy:
        if woman.sex != Beneficiary.Sex.FEMALE:
            raise ValidationError({"lmp": _("Only women can be registered as pregnant.")})
        check_lmp(lmp, today)
        if Pregnancy.objects.filter(woman=woman, delivery_date__isnull=True).exists():
            raise ValidationError({"lmp": _("She already has an ongoing pregnancy: record its delivery first.")})
        last = woman.pregnancies.filter(delivery_date__isnull=False).order_by("-delivery_date").first()
        if last is not None and lmp <= last.delivery_date:
            raise ValidationError({"lmp": _("The LMP must be after her last delivery (%(d)s).")
                                   % {"d": last.delivery_date.isoformat()}})
        pregnancy = Pregnancy.objects.create(woman=woman, lmp=lmp, edd=lifestage.edd(lmp), client_uuid=client_uuid)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=pregnancy, awc_id=woman.awc_id,
                     fields=["lmp", "edd"])
        return pregnancy

    pregnancy, _created = create_once(Pregnancy, client_uuid=client_uuid, scope={"woman": woman}, create=create)
    return pregnancy


@dataclass(frozen=True)
class NewbornInput:
    name: str
    sex: str
    birth_weight_kg: Decimal | None


@transaction.atomic
def delivery_record(*, actor, pregnancy: Pregnancy, delivery_date: date, outcome: str,
                    newborns: list[NewbornInput] = ()) -> list[Beneficiary]:
    """Close the pregnancy: the mother becomes lactating and each live-born child is registered."""
    pregnancy = Pregnancy.objects.select_for_update().select_related("woman__household").get(pk=pregnancy.pk)
    if pregnancy.delivery_date is not None:
        raise ValidationError(_("This delivery is already recorded."))
    today = _today()
    if delivery_date > today:
        raise ValidationError({"delivery_date": _("The delivery date cannot be in the future.")})
    if pregnancy.lmp and delivery_date < pregnancy.lmp:
        raise ValidationError({"delivery_date": _("The delivery cannot be before the LMP (%(d)s).")
                               % {"d": pregnancy.lmp.isoformat()}})
    if outcome == Pregnancy.Outcome.LIVE_BIRTH and not newborns:
        raise ValidationError({"child_name": _("Give the newborn's name (or 'Baby of' and the mother's name).")})
    if outcome == Pregnancy.Outcome.LIVE_BIRTH and any(b.sex not in Beneficiary.Sex.values for b in newborns):
        raise ValidationError({"child_sex": _("Choose the baby's sex.")})
    pregnancy.delivery_date, pregnancy.outcome = delivery_date, outcome
    pregnancy.full_clean()
    pregnancy.save(update_fields=["delivery_date", "outcome"])
    mother = pregnancy.woman
    children = []
    mother_consent = mother.consents.filter(withdrawn_at__isnull=True).order_by("-given_at").first()
    for baby in newborns if outcome == Pregnancy.Outcome.LIVE_BIRTH else ():
        child = Beneficiary(awc=mother.awc, household=mother.household, name=baby.name.strip(), sex=baby.sex,
                            dob=delivery_date, mother=mother, birth_weight_kg=baby.birth_weight_kg,
                            relation_to_head=Beneficiary.Relation.GRANDCHILD
                            if mother.relation_to_head == Beneficiary.Relation.DAUGHTER_IN_LAW
                            else Beneficiary.Relation.OTHER)
        child.full_clean(exclude=["aadhaar_index", "household", "awc", "mother"])
        child.save()
        AwcMembership.objects.create(beneficiary=child, awc=mother.awc, start=delivery_date)
        if mother_consent is not None:
            Consent.objects.create(beneficiary=child, given_by=mother.name, relation="mother",
                                   purposes=[p for p in mother_consent.purposes if p != AADHAAR_PURPOSE],
                                   recorded_by=actor)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=child, awc_id=mother.awc_id,
                     fields=["name", "sex", "dob", "mother", "birth_weight_kg"])
        children.append(child)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=pregnancy, awc_id=mother.awc_id,
                 fields=["delivery_date", "outcome"])
    return children


@transaction.atomic
def beneficiary_exit(*, actor, beneficiary: Beneficiary, reason: str, on: date | None = None) -> Beneficiary:
    on = on or _today()
    if beneficiary.exited_on:
        return beneficiary
    beneficiary.exited_on, beneficiary.exit_reason = on, reason
    beneficiary.full_clean(exclude=["aadhaar_index", "household", "awc"])
    beneficiary.save(update_fields=["exited_on", "exit_reason"])
    AwcMembership.objects.filter(beneficiary=beneficiary, end__isnull=True).update(end=on)
    _lapse_pending_moves(actor=actor, beneficiary_ids=[beneficiary.pk])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=beneficiary, awc_id=beneficiary.awc_id,
                 fields=["exited_on", "exit_reason"])
    return beneficiary


AGE_OUT_UPPER_YEARS = 10  # children 6–10 without an exit are marked; adolescents (14+) are untouched


@transaction.atomic
def beneficiaries_exit_aged_out(*, on: date | None = None) -> int:
    """Children who reached 6 leave the programme with that reason (kept, never deleted). Idempotent."""
    on = on or _today()
    due = Beneficiary.objects.filter(
        exited_on__isnull=True,
        dob__lte=lifestage.years_before(on, lifestage.CHILD_EXIT_YEARS),
        dob__gt=lifestage.years_before(on, AGE_OUT_UPPER_YEARS),
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    for pk, dob in Beneficiary.objects.filter(pk__in=ids).values_list("pk", "dob"):
        exit_day = lifestage.birthday(dob, lifestage.CHILD_EXIT_YEARS)
        Beneficiary.objects.filter(pk=pk).update(exited_on=exit_day, exit_reason=Beneficiary.ExitReason.AGED_OUT)
        AwcMembership.objects.filter(beneficiary_id=pk, end__isnull=True).update(end=exit_day)
    _lapse_pending_moves(actor=None, beneficiary_ids=ids)
    audit_record(actor=None, action=AuditEvent.Action.UPDATE, object_type="beneficiaries.beneficiary",
                 object_id=f"aged_out:{on.isoformat()}:{len(ids)}", fields=["exited_on", "exit_reason"])
    return len(ids)


def mark_weighed(*, beneficiary_id: int, on: date) -> None:
    """Called by growth monitoring so the 'due for weighing' list needs no join to measurements."""
    Beneficiary.objects.filter(pk=beneficiary_id).exclude(last_weighed_on__gte=on).update(last_weighed_on=on)


def mark_visited(*, beneficiary_id: int, on: date) -> None:
    Beneficiary.objects.filter(pk=beneficiary_id).exclude(last_visited_on__gte=on).update(last_visited_on=on)


# --- moves between centres -------------------------------------------------------------------------


def _lapse_pending_moves(*, actor, beneficiary_ids, keep: int | None = None) -> None:
    """Requests still waiting for people who moved or left can no longer be answered: they lapse."""
    pending = Transfer.objects.filter(beneficiary_id__in=beneficiary_ids, status=Transfer.Status.REQUESTED)
    lapsed = list(pending.exclude(pk=keep).values_list("pk", "from_awc_id"))
    if not lapsed:
        return
    Transfer.objects.filter(pk__in=[pk for pk, _awc in lapsed]).update(status=Transfer.Status.LAPSED)
    for pk, awc_id in lapsed:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, object_type="beneficiaries.transfer",
                     object_id=pk, awc_id=awc_id, fields=["status"])


def _move(*, actor, beneficiary: Beneficiary, to_awc: Location, on: date, answered: Transfer) -> None:
    """Close the open membership, open one at the new AWC, give the person a household there.

    Every other request still waiting for the person (or the young children moving with them) lapses.
    """
    AwcMembership.objects.filter(beneficiary=beneficiary, end__isnull=True).update(end=on)
    AwcMembership.objects.create(beneficiary=beneficiary, awc=to_awc, start=on)
    old = beneficiary.household
    household = Household.objects.create(awc=to_awc, head_name=old.head_name, social_category=old.social_category,
                                         is_minority=old.is_minority, mobile=old.mobile,
                                         mobile_index=old.mobile_index)
    beneficiary.awc, beneficiary.household = to_awc, household
    beneficiary.save(update_fields=["awc", "household"])
    moved = [beneficiary.pk]
    # Young children move with their mother.
    for child in beneficiary.children.filter(awc=old.awc, exited_on__isnull=True,
                                             dob__gt=lifestage.years_before(on, lifestage.CHILD_EXIT_YEARS)):
        AwcMembership.objects.filter(beneficiary=child, end__isnull=True).update(end=on)
        AwcMembership.objects.create(beneficiary=child, awc=to_awc, start=on)
        child.awc, child.household = to_awc, household
        child.save(update_fields=["awc", "household"])
        moved.append(child.pk)
    _lapse_pending_moves(actor=actor, beneficiary_ids=moved, keep=answered.pk)
    people_moved.send(sender=Beneficiary, actor=actor, beneficiary_ids=moved, to_awc=to_awc, on=on)


@transaction.atomic
def transfer_request(*, actor, beneficiary: Beneficiary, to_awc: Location, kind: str,
                     expected_return: date | None = None, pulled: bool = False) -> Transfer:
    """Ask to move a person: by the sending centre (push) or the receiving one (pull, see transfer_pull).

    One push at a time per person, and one pull per asking centre: a pull never stops the holding centre's
    own move (or exit); the pull then lapses.
    """
    _require_awc(to_awc)
    if beneficiary.exited_on:
        raise ValidationError(_("This person has left the programme."))
    if to_awc.pk == beneficiary.awc_id:
        raise ValidationError({"to_awc": _("The person is already served by this centre.")})
    if kind == Transfer.Kind.TEMPORARY and expected_return and expected_return <= _today():
        raise ValidationError({"expected_return": _("The expected return must be a future date.")})
    pending = Transfer.objects.filter(beneficiary=beneficiary, status=Transfer.Status.REQUESTED, pulled=pulled)
    if pulled and pending.filter(to_awc=to_awc).exists():
        raise ValidationError({"to_awc": _("Your centre has already asked for this person: the other centre will "
                                           "answer.")})
    if not pulled and pending.exists():
        raise ValidationError(_("A move for this person is already waiting for an answer."))
    transfer = Transfer(beneficiary=beneficiary, from_awc_id=beneficiary.awc_id, to_awc=to_awc, kind=kind,
                        expected_return=expected_return if kind == Transfer.Kind.TEMPORARY else None,
                        requested_by=actor, pulled=pulled)
    transfer.full_clean()
    transfer.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=transfer, awc_id=beneficiary.awc_id,
                 fields=["from_awc", "to_awc", "kind", "pulled"])
    return transfer


def transfer_pull(*, actor, to_awc: Location, aadhaar: str, kind: str,
                  expected_return: date | None = None) -> Transfer:
    """The receiving centre asks for a person who moved here, found by Aadhaar number.

    The asking worker is told only that her request was sent: the person's name and centre reach her when the
    holding centre accepts. The look-up is audited and counted against her hour's allowance, found or not.
    """
    _require_awc(to_awc)
    lookups.lookup_allowed_or_refuse(actor)
    number, _mobile = _clean_numbers(aadhaar, "")
    found = Beneficiary.objects.filter(aadhaar_index=_aadhaar_index(number), exited_on__isnull=True).first()
    lookups.lookup_record(actor=actor, purpose=lookups.PULL, found=found, awc_id=to_awc.pk)
    if found is None:
        raise ValidationError({"aadhaar": _("No one with this Aadhaar number is registered. Register the person.")})
    return transfer_request(actor=actor, beneficiary=found, to_awc=to_awc, kind=kind,
                            expected_return=expected_return, pulled=True)


def _answering_awc_id(transfer: Transfer) -> int:
    """A push is answered by the receiving centre, a pull by the centre holding the person."""
    return transfer.from_awc_id if transfer.pulled else transfer.to_awc_id


def can_answer(transfer: Transfer, awc: Location | None) -> bool:
    """May this centre accept or refuse the move (transfer_decide)?"""
    return (awc is not None and transfer.status == Transfer.Status.REQUESTED
            and _answering_awc_id(transfer) == awc.pk)


def _return_refusal(transfer: Transfer, returning_to: Location | None) -> str:
    if transfer.kind != Transfer.Kind.TEMPORARY or transfer.status != Transfer.Status.ACCEPTED:
        return _("Only an accepted temporary move can end with a return.")
    if (returning_to is None or returning_to.pk != transfer.from_awc_id
            or transfer.beneficiary.awc_id != transfer.to_awc_id):
        return _("The person can only return to the centre they came from.")
    return ""


def can_return(transfer: Transfer, awc: Location | None) -> bool:
    """May this centre end the temporary move by taking the person back (transfer_return)?"""
    return not _return_refusal(transfer, awc)


@transaction.atomic
def transfer_decide(*, actor, transfer: Transfer, accept: bool, deciding_awc: Location) -> Transfer:
    """The other side answers: accepting moves the person (and their young children) today."""
    transfer = Transfer.objects.select_for_update().select_related("beneficiary__household").get(pk=transfer.pk)
    if transfer.status != Transfer.Status.REQUESTED:
        raise ValidationError(_("This move was already answered."))
    if deciding_awc.pk != _answering_awc_id(transfer):
        raise ValidationError(_("Only the other centre can answer this move."))
    transfer.status = Transfer.Status.ACCEPTED if accept else Transfer.Status.REJECTED
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        _move(actor=actor, beneficiary=transfer.beneficiary, to_awc=transfer.to_awc, on=_today(), answered=transfer)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=transfer, awc_id=deciding_awc.pk,
                 fields=["status"])
    return transfer


@transaction.atomic
def transfer_return(*, actor, transfer: Transfer, returning_to: Location) -> Transfer:
    """A temporary move ends: the person is served again by the first centre."""
    transfer = Transfer.objects.select_for_update().select_related("beneficiary__household").get(pk=transfer.pk)
    if refusal := _return_refusal(transfer, returning_to):
        raise ValidationError(refusal)
    _move(actor=actor, beneficiary=transfer.beneficiary, to_awc=transfer.from_awc, on=_today(), answered=transfer)
    transfer.status = Transfer.Status.RETURNED
    transfer.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=transfer, awc_id=returning_to.pk,
                 fields=["status"])
    return transfer


def first_of_month(on: date) -> date:
    return on.replace(day=1)


def last_of_month(on: date) -> date:
    nxt = (on.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)
