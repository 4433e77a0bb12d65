"""Correcting a person's details, and the dates other services move forward on her row."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poshan.core import prepared
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent
from poshan.core.names import check_names

from .. import lookups
from ...numbers import aadhaar_index
from ...models import Beneficiary
from ...selectors import current_purposes
from ..consent import AADHAAR_PURPOSE, ConsentInput, Purpose, _consent_save

from .rules import _AadhaarTaken, _answer_taken, _clean_numbers, _refuse_duplicate_aadhaar


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
