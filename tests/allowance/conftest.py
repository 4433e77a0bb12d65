from __future__ import annotations

from datetime import date

import pytest
import time_machine

from anganwadi.allowance.services import allowance_claim_submit

Q3 = date(2026, 10, 1)  # Oct–Dec 2026: the current quarter on the frozen day
Q2 = date(2026, 7, 1)
Q4 = date(2027, 1, 1)  # not begun yet


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 06:00:00+00:00", tick=False):
        yield


@pytest.fixture
def claim(users):
    """The worker's claim for the current quarter (₹450)."""
    return allowance_claim_submit(actor=users.aww, period_start=Q3, amount=450)[0]
