"""Finding a person by Aadhaar number: audited and rate-limited per user, and telling no more than needed.

Two doors look a number up: a receiving centre's pull request, and the duplicate check when a person is
registered (or given a number) at a centre. Each look-up that finds someone, and each pull, is an audit event
on the person (`aadhaar_lookup`), counted against the user's allowance for the hour: a worker can confirm a
number she was given, never sweep through numbers. The other centre is named only to users who may see it.
"""
from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from anganwadi.selectors import awcs_visible_to
from poshan.core import counters
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent

AADHAAR_LOOKUPS_PER_HOUR = 10  # far above a day's moves at one centre
WINDOW_SECONDS = 60 * 60
AUDIT_FIELD = "aadhaar_lookup"
PULL, REGISTRATION = "pull", "registration"


def current_window() -> int:
    return int(time.time() // WINDOW_SECONDS)


def _key(user) -> str:
    return f"rl:aadhaar:{user.pk}:{current_window()}"


def lookup_allowed_or_refuse(actor) -> None:
    """Refuse a look-up (and a registration with an Aadhaar number) once the hour's allowance is spent."""
    if getattr(actor, "pk", None) is not None and counters.count(_key(actor)) >= AADHAAR_LOOKUPS_PER_HOUR:
        raise ValidationError({"aadhaar": _("You have looked up many Aadhaar numbers in the last hour. "
                                            "Please try again later.")})


def lookup_record(*, actor, purpose: str, found=None, awc_id: int | None = None) -> None:
    """Count the look-up and audit it, on the person found (on the asking centre when nobody was found).

    Call it outside the transaction that may then be refused, so the event stays when the request does not.
    """
    if getattr(actor, "pk", None) is not None:  # a system job (demo data, a command) has no allowance to spend
        counters.hit(_key(actor), WINDOW_SECONDS + 60)
    audit_record(actor=actor, action=AuditEvent.Action.VIEW, obj=found, object_type="beneficiaries.beneficiary",
                 object_id="aadhaar:nobody", awc_id=found.awc_id if found is not None else awc_id,
                 fields=[AUDIT_FIELD, purpose])


def duplicate_error(*, actor, existing) -> ValidationError:
    """The number is taken: the centre is named only to a user who may see it (or to a system job)."""
    if actor is None or awcs_visible_to(actor).filter(pk=existing.awc_id).exists():
        return ValidationError({"aadhaar": _(
            "This Aadhaar number is already registered at AWC %(code)s. If the person has moved here, "
            "ask for a migration instead of registering again."
        ) % {"code": existing.awc.code}})
    return ValidationError({"aadhaar": _(
        "This Aadhaar number is already registered at another centre. If the person has moved here, ask for "
        "the move on the Moves page: that centre will confirm it."
    )})
