"""Households and people: registering a family and its members, and correcting a person's details."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from anganwadi.models import Location
from poshan.core import prepared
from poshan.core.audit import audit_record
from poshan.core.idempotency import create_once, insert_unless_conflict, insert_unread
from poshan.core.models import AuditEvent
from poshan.core.names import check_names
from poshan.core.roles import Level

from .. import lifestage
from . import lookups
from ..aadhaar import InvalidNumber, normalize_aadhaar, normalize_mobile
from ..numbers import aadhaar_index, mobile_index
from ..models import AwcMembership, Beneficiary, Household, Pregnancy
from ..selectors import current_purposes
from .consent import AADHAAR_PURPOSE, ConsentInput, Purpose, _check_consent, _consent_save
from .pregnancy import check_lmp


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


def _same_name(name: str) -> str:
    """A name as compared for duplicates: case, spacing and Unicode composition aside."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _same_birth(person: PersonInput, dob: date, awc: Location) -> prepared.SqlPart:
    """Who could be this person at this centre, before names are compared: the same sex and date of birth, not
    exited, and the same mother (or none recorded). Only this centre is searched."""
    connection = connections[router.db_for_write(Beneficiary)]
    sql = "awc_id = %s AND sex = %s AND dob = %s AND exited_on IS NULL"
    params, types = [awc.pk, person.sex, connection.ops.adapt_datefield_value(dob)], ["bigint", "text", "date"]
    if person.mother is not None:
        sql += " AND (mother_id = %s OR mother_id IS NULL)"
        params.append(person.mother.pk)
        types.append("bigint")
    return prepared.SqlPart(sql, params, types)


def _warn_likely_duplicate(person: PersonInput, dob: date, awc: Location) -> None:
    """The same name, sex, date of birth and mother at this centre: likely the same person under a new client id.

    Only this centre is searched, and only the date of that registration is named. Names are compared here, in
    Python (case, spacing and Unicode composition aside), the same on every database.
    """
    connection = connections[router.db_for_write(Beneficiary)]
    same_birth = _same_birth(person, dob, awc)
    sql = f"SELECT id, name FROM {connection.ops.quote_name(Beneficiary._meta.db_table)} WHERE {same_birth.sql}"
    with prepared.cursor(connection) as cursor:
        prepared.execute(cursor, connection, name="beneficiary_same_birth" + ("_mother" if person.mother else ""),
                         sql=sql, params=same_birth.params, types=same_birth.types)
        candidates = cursor.fetchall()
    wanted = _same_name(person.name)
    same = [pk for pk, name in candidates if _same_name(name) == wanted]
    if not same:
        return
    created_at = Beneficiary.objects.filter(pk__in=same).aggregate(first=Min("created_at"))["first"]
    raise ValidationError({"confirm_duplicate": ValidationError(
        _("Someone with the same name, sex, date of birth and mother was registered at this centre on "
          "%(date)s. If this is a different person, tick \u201cYes, this is a different person\u201d and "
          "save again.") % {"date": formats.date_format(timezone.localtime(created_at).date())},
        code="likely_duplicate")})


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


def _require_awc(awc: Location) -> None:
    if awc.level != Level.AWC or not awc.is_active:
        raise ValidationError(_("Choose an active Anganwadi centre."))


@transaction.atomic
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
        household.full_clean(exclude=["mobile_index"])
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

    def create() -> Beneficiary:
        family = household_register(actor=actor, awc=awc, data=household, consent=consent)
        return _beneficiary_register(actor=actor, household=family, person=person, consent=consent,
                                     client_uuid=client_uuid, confirm_duplicate=confirm_duplicate)

    try:
        with transaction.atomic():
            beneficiary, _created = create_once(Beneficiary, client_uuid=client_uuid, scope={"awc": awc},
                                                create=create)
    except _AadhaarTaken as taken:
        raise _answer_taken(actor, taken) from None
    return beneficiary


@transaction.atomic
def _beneficiary_register(*, actor, household: Household, person: PersonInput, consent: ConsentInput | None,
                          client_uuid=None, confirm_duplicate: bool = False) -> Beneficiary:
    awc = household.awc
    _require_awc(awc)
    check_names(name=person.name)
    today = timezone.localdate()

    def create() -> Beneficiary:
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
        # One statement, no savepoint: a unique value there already (the Aadhaar number, or the client id sent
        # a moment ago by a concurrent request) inserts nothing and leaves the transaction usable to say which.
        # Unless the worker confirmed a different person, the same statement inserts nothing when someone of the
        # same birth is on the centre's register (most registrations meet nobody: no probe of its own); only
        # then are the names compared, and a different name is inserted after all.
        inserted = False
        if not confirm_duplicate:
            inserted = insert_unless_conflict(
                beneficiary, unless_where=_same_birth(person, dob, awc),
                prepared_as="beneficiary_register_unless_same_birth" + ("_mother" if person.mother else ""))
            if not inserted:
                _warn_likely_duplicate(person, dob, awc)
        if not inserted and not insert_unless_conflict(beneficiary, prepared_as="beneficiary_register"):
            if index is not None:
                _refuse_duplicate_aadhaar(index)
            raise IntegrityError("a unique value of the person is registered already")
        # The membership, the consent and the pregnancy are rows nobody reads back: on PostgreSQL they go with the
        # audit row in the COMMIT's message (insert_unread), so a registration is 3 round trips.
        insert_unread(AwcMembership(beneficiary=beneficiary, awc=awc, start=today), prepared_as="membership_open")
        _consent_save(actor=actor, beneficiary=beneficiary, consent=consent)
        if person.enrol_as == EnrolAs.PREGNANT:
            insert_unread(Pregnancy(woman=beneficiary, lmp=person.lmp, edd=lifestage.edd(person.lmp)),
                          prepared_as="pregnancy_register")
        elif person.enrol_as == EnrolAs.LACTATING:
            insert_unread(Pregnancy(woman=beneficiary, delivery_date=person.delivery_date,
                                    outcome=Pregnancy.Outcome.LIVE_BIRTH), prepared_as="pregnancy_register")
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
    today = timezone.localdate()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    check_names(name=changes.get("name", ""))
    if changes.get("dob") and changes["dob"] > today:
        raise ValidationError({"dob": _("The date of birth cannot be in the future.")})
    purposes = current_purposes(beneficiary) | (set(consent.purposes) if consent else set())
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
        index = aadhaar_index(number)
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


def mark_weighed(*, beneficiary_id: int, on: date) -> None:
    """Called by growth monitoring so the 'due for weighing' list needs no join to measurements."""
    _mark_latest("last_weighed_on", beneficiary_id, on)


def mark_visited(*, beneficiary_id: int, on: date) -> None:
    _mark_latest("last_visited_on", beneficiary_id, on)


def _mark_latest(field: str, beneficiary_id: int, on: date) -> None:
    """Move the person's date `field` forward to `on` (never back): one prepared UPDATE on a hot write path. Nobody
    reads its result, so inside a transaction on PostgreSQL it goes with the transaction's next statement or its
    COMMIT (poshan.core.prepared, `defer`): no round trip of its own."""
    connection = connections[router.db_for_write(Beneficiary)]
    qn = connection.ops.quote_name
    column = qn(Beneficiary._meta.get_field(field).column)
    sql = (f"UPDATE {qn(Beneficiary._meta.db_table)} SET {column} = %s "
           f"WHERE {qn('id')} = %s AND ({column} IS NULL OR {column} < %s)")
    day = connection.ops.adapt_datefield_value(on)
    with prepared.cursor(connection) as cursor:
        prepared.execute(cursor, connection, name=f"beneficiary_mark_{field}", sql=sql, types=("date", "bigint", "date"),
                         params=(day, beneficiary_id, day), defer=True)
