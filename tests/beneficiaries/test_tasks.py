"""The beneficiaries' nightly task: children who reached 6 leave the programme, once, on the beat's schedule."""
from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.conf import settings

from beneficiaries.models import Beneficiary
from beneficiaries.tasks import life_stage_nightly
from poshan.celery import app
from tests.factories import make_household, make_person

TODAY = date(2026, 11, 27)


@pytest.fixture
def children(world, users):
    household = make_household(world.awc1, actor=users.aww)
    with time_machine.travel(date(2025, 6, 1), tick=False):
        six = make_person(household, name="Chotu", sex="M", dob=date(2020, 11, 20), enrol_as="child")
        five = make_person(household, name="Munni", sex="F", dob=date(2021, 11, 28), enrol_as="child")
    return six, five


def test_the_nightly_task_moves_out_the_children_who_turned_six_once(children):
    six, five = children
    with time_machine.travel(TODAY, tick=False):
        first = life_stage_nightly.delay().get()
        again = life_stage_nightly.delay(TODAY.isoformat()).get()
    assert (first, again) == ({"aged_out": 1}, {"aged_out": 0})
    six.refresh_from_db()
    five.refresh_from_db()
    assert (six.exited_on, six.exit_reason) == (date(2026, 11, 20), Beneficiary.ExitReason.AGED_OUT)
    assert five.exited_on is None


def test_the_nightly_task_is_scheduled_before_the_flagging_and_safe_to_rerun():
    entries = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    life_stage, flagging = entries["beneficiaries.tasks.life_stage_nightly"], entries["growth.flagging.run_nightly"]
    assert (life_stage.hour, life_stage.minute) == ({22}, {0})
    assert min(life_stage.hour) * 60 + min(life_stage.minute) < min(flagging.hour) * 60 + min(flagging.minute)
    task = app.tasks["beneficiaries.tasks.life_stage_nightly"]
    assert task.acks_late and task.reject_on_worker_lost
