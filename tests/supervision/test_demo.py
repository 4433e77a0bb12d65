"""The demo's supervision: the supervisor's pages show visits, a carried action, VHSNDs and alerts, once."""
from __future__ import annotations

import time_machine
from django.urls import reverse

from poshan.core.models import User
from poshan.demo import world
from poshan.supervision.demo import seed_supervision
from poshan.supervision.models import ActionItem, Alert, AlertContact, Vhsnd, Visit


def test_the_demo_supervisor_has_visits_actions_vhsnds_and_alerts(db, client):
    with time_machine.travel("2026-11-27 06:00:00+00:00", tick=False):
        awcs = world.build_locations()
        world.build_users(awcs)
        first = seed_supervision(awcs)
        again = seed_supervision(awcs)
        supervisor = User.objects.get(username="supervisor_demo")
        client.force_login(supervisor, backend="django.contrib.auth.backends.ModelBackend")
        page = client.get(reverse("supervision:sector"))
        centre = client.get(reverse("supervision:centre", args=[awcs[0].pk])).content.decode()
    assert first == {"visits": 4} and again == {"visits": 0} and Visit.objects.count() == 4
    carried = ActionItem.objects.get(carried_from__isnull=False)
    assert carried.text == "Get the infantometer repaired" and carried.status == ActionItem.Status.OPEN
    assert "Get the infantometer repaired" in centre and "Weigh the children missed this month" in centre
    short = [row.awc for row in page.context["rows"] if row.visits_short]
    assert len(short) == 2 and awcs[0] not in short  # two of the sector's five centres still to visit
    assert Vhsnd.objects.count() == 2 and AlertContact.objects.count() == 2
    assert Alert.objects.filter(state=Alert.State.OPEN).exists()  # no facts in this world: every centre is silent
