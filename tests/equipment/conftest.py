from __future__ import annotations

import pytest

from anganwadi.equipment.services import device_record

IMEI = "490154203237518"
IMEI_2 = "356938035643809"


@pytest.fixture
def phone(world, users):
    """awc1's working phone, issued to its worker."""
    return device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="working",
                         make="Samsung A05", imei=IMEI, issued_to=users.aww).device
