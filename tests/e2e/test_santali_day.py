"""An Anganwadi worker of Jharkhand on a 360-px phone, in Santali: the sign-in page opened from the state's link
lists Jharkhand's languages first (हिन्दी, then ᱥᱟᱱᱛᱟᱲᱤ) and she picks ᱥᱟᱱᱛᱟᱲᱤ; home, the centre opened, the attendance
sheet ticked and saved, then the rest of her daily pages — every page in Santali, set in Noto Sans Ol Chiki, nothing
wider than the screen, every tap target at least 44 px."""
from __future__ import annotations

import re

import pytest

from beneficiaries.models import Attendance

from .steps import worker_day

pytestmark = pytest.mark.browser

JHARKHAND = 20
OL_CHIKI = re.compile("[\u1c50-\u1c7f]")  # the Ol Chiki block: letters, marks, digits, full stops


def test_worker_day_in_santali_on_a_phone(live_server, page, shots, users, centre, today):
    kids = list(centre.values())
    problems = worker_day(page, live_server.url, users.aww, kids, shots,
                          language="sat", state=JHARKHAND, font="Noto Sans Ol Chiki")

    saved = dict(Attendance.objects.filter(date=today).values_list("child_id", "hcm"))
    assert saved == {kids[0].pk: True, kids[1].pk: True, kids[2].pk: False}
    # The last page she saw is written in Ol Chiki, not in Devanagari, Bengali or Latin letters.
    heading = page.locator("main h1, main h2").first.inner_text()
    assert OL_CHIKI.search(heading), heading
    assert problems == {}
