"""How many take-home ration packets a person is due this month (a read: the hand-over service asks it)."""
from __future__ import annotations

from datetime import date

from beneficiaries.models import Beneficiary
from beneficiaries.selectors import categories_of
from beneficiaries.signals import under_treatment

from ..entitlement import packets_for


def entitled_packets(beneficiary: Beneficiary, on: date) -> int:
    """Packets due this month (0: not entitled, or no longer in the programme)."""
    if beneficiary.exited_on and beneficiary.exited_on <= on \
            and beneficiary.exit_reason != Beneficiary.ExitReason.AGED_OUT:
        return 0
    return packets_for(categories_of(beneficiary, on),
                       under_treatment=beneficiary.pk in under_treatment([beneficiary.pk], on))
