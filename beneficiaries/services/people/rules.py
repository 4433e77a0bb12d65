"""The rules a registration or an edit obeys before anything is written: dates, enrolment, likely duplicates,
numbers, the centre."""
from __future__ import annotations

from datetime import date
import unicodedata

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from anganwadi.models import Location
from poshan.core import prepared
from poshan.core.roles import Level

from ... import lifestage
from .. import lookups
from ...aadhaar import InvalidNumber, normalize_aadhaar, normalize_mobile
from ...models import Beneficiary
from ..pregnancy import check_lmp

from .inputs import MIN_MOTHER_AGE, EnrolAs, PersonInput


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


def _warn_likely_duplicate(person: PersonInput, same_birth: prepared.SqlPart) -> None:
    """The same name, sex, date of birth and mother at this centre: likely the same person under a new client id.

    `same_birth`: the person's _same_birth condition (the centre's only). Only the date of that registration is
    named. Names are compared here, in Python (case, spacing and Unicode composition aside), the same on every
    database.
    """
    connection = connections[router.db_for_write(Beneficiary)]
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
