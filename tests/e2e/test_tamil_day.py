"""An Anganwadi worker of Tamil Nadu on a 360-px phone, in Tamil: the sign-in page opened from the state's link
shows தமிழ் first; home, the centre opened, the attendance sheet ticked and saved, then the rest of her daily pages —
every page in Tamil, set in Noto Sans Tamil, nothing wider than the screen, every tap target at least 44 px."""
from __future__ import annotations

import pytest

from beneficiaries.models import Attendance

from .steps import worker_day

pytestmark = pytest.mark.browser

TAMIL_NADU = 33


def test_worker_day_in_tamil_on_a_phone(live_server, page, shots, users, centre, today):
    kids = list(centre.values())
    problems = worker_day(page, live_server.url, users.aww, kids, shots,
                          language="ta", state=TAMIL_NADU, font="Noto Sans Tamil")

    saved = dict(Attendance.objects.filter(date=today).values_list("child_id", "hcm"))
    assert saved == {kids[0].pk: True, kids[1].pk: True, kids[2].pk: False}
    assert problems == {}
