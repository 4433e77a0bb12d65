"""The supervisor's page of the nightly life-stage changes: she reverses a wrong one with a reason, in her area only."""
from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse

from beneficiaries.models import LifeStageChange
from beneficiaries.tasks import life_stage_nightly
from poshan.core.models import AuditEvent
from tests.beneficiaries.test_tasks import TODAY, children, women  # noqa: F401 (fixtures)


def test_the_supervisor_reverses_a_change_from_her_page_and_an_empty_reason_keeps_it(women, children, users,
                                                                                        login, world):
    with time_machine.travel(TODAY, tick=False):
        life_stage_nightly.delay().get()
    lactation = LifeStageChange.objects.get(kind="lactation_ended")
    aged_out = LifeStageChange.objects.get(kind="aged_out")
    with time_machine.travel(TODAY + timedelta(hours=10), tick=False):
        client = login(users.supervisor)
        page = client.get(reverse("beneficiaries:life_stages"))
        body = page.content.decode()
        assert page.status_code == 200
        assert "Gita" in body and "Chotu" in body and "Rani" not in body  # Rani is in district2
        assert reverse("beneficiaries:life_stage_undo", args=[lactation.pk]) in body
        assert reverse("beneficiaries:life_stage_undo", args=[aged_out.pk]) not in body  # from the child's page

        refused = client.post(reverse("beneficiaries:life_stage_undo", args=[lactation.pk]), {"reason": "  "})
        assert refused.status_code == 400 and "Write why the change is being reversed." in refused.content.decode()
        lactation.refresh_from_db()
        assert lactation.undone_at is None

        done = client.post(reverse("beneficiaries:life_stage_undo", args=[lactation.pk]),
                           {"reason": "The delivery date was wrong"}, follow=True)
        assert "is reversed" in done.content.decode()
        lactation.refresh_from_db()
        assert (lactation.undone_by, lactation.undo_reason) == (users.supervisor, "The delivery date was wrong")
        assert AuditEvent.objects.filter(actor=users.supervisor, object_type="beneficiaries.lifestagechange",
                                         object_id=str(lactation.pk)).exists()


def test_another_area_or_a_worker_cannot_reach_the_page_or_the_change(women, children, users, login, make_user,
                                                                       world):
    with time_machine.travel(TODAY, tick=False):
        life_stage_nightly.delay().get()
    rani = LifeStageChange.objects.get(kind="adolescence_ended")
    with time_machine.travel(TODAY + timedelta(hours=10), tick=False):
        assert login(users.aww).get(reverse("beneficiaries:life_stages")).status_code == 403
        answer = login(users.supervisor).post(reverse("beneficiaries:life_stage_undo", args=[rani.pk]),
                                              {"reason": "not mine"})
        assert answer.status_code == 404
    rani.refresh_from_db()
    assert rani.undone_at is None
