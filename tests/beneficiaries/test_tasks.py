"""The beneficiaries' nightly task: life stages move by their dates, once, by district, audited, reversible."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError

from beneficiaries import lifestage
from beneficiaries.models import Beneficiary, LifeStageChange, Pregnancy
from beneficiaries.selectors import life_stage_changes_tonight
from beneficiaries.services.lifestages import life_stage_change_undo, life_stage_districts
from beneficiaries.tasks import life_stage_nightly
from poshan.celery import app
from poshan.core.models import AuditEvent
from tests.factories import make_household, make_person

TODAY = date(2026, 11, 27)


@pytest.fixture
def children(world, users):
    household = make_household(world.awc1, actor=users.aww)
    with time_machine.travel(date(2025, 6, 1), tick=False):
        six = make_person(household, name="Chotu", sex="M", dob=date(2020, 11, 20), enrol_as="child")
        five = make_person(household, name="Munni", sex="F", dob=date(2021, 11, 28), enrol_as="child")
    return six, five


def _changes():
    return sorted(LifeStageChange.objects.values_list("beneficiary__name", "kind", "effective_on"))


def test_the_nightly_task_moves_out_the_children_who_turned_six_once(children):
    six, five = children
    with time_machine.travel(TODAY, tick=False):
        first = life_stage_nightly.delay().get()
        once = _changes()
        again = life_stage_nightly.delay(TODAY.isoformat()).get()
    assert first == again == {"on": "2026-11-27", "districts": 1}
    assert once == _changes() == [("Chotu", "aged_out", date(2020 + 6, 11, 20))]
    six.refresh_from_db()
    five.refresh_from_db()
    assert (six.exited_on, six.exit_reason) == (date(2026, 11, 20), Beneficiary.ExitReason.AGED_OUT)
    assert five.exited_on is None
    audited = AuditEvent.objects.filter(object_type="beneficiaries.lifestagechange")
    assert [(e.actor_id, e.object_id) for e in audited] == [(None, f"{six.pk}:aged_out:2026-11-20")]


def test_the_nightly_task_is_scheduled_before_the_flagging_and_safe_to_rerun():
    entries = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    life_stage, flagging = entries["beneficiaries.tasks.life_stage_nightly"], entries["growth.flagging.run_nightly"]
    assert (life_stage.hour, life_stage.minute) == ({22}, {0})
    assert min(life_stage.hour) * 60 + min(life_stage.minute) < min(flagging.hour) * 60 + min(flagging.minute)
    for name in ("beneficiaries.tasks.life_stage_nightly", "beneficiaries.tasks.life_stage_district"):
        task = app.tasks[name]
        assert task.acks_late and task.reject_on_worker_lost


@pytest.fixture
def women(world, users):
    """In awc1 (no adolescent scheme) a woman overdue and a mother; in awc5 (aspirational, district2) a girl."""
    world.awc5.is_aspirational = True
    world.awc5.save(update_fields=["is_aspirational"])
    with time_machine.travel(date(2026, 1, 5), tick=False):
        home = make_household(world.awc1, actor=users.aww)
        overdue = make_person(home, name="Sita", dob=date(1998, 3, 3))
        mother = make_person(home, name="Gita", dob=date(1997, 4, 4))
        girl = make_person(make_household(world.awc5, head_name="Mohan Lal"), name="Rani",
                           dob=lifestage.birthday(date(2026, 11, 26), -lifestage.ADOLESCENT_UNTIL))
    Pregnancy.objects.create(woman=overdue, lmp=date(2026, 1, 1), edd=date(2026, 10, 8))
    Pregnancy.objects.create(woman=mother, lmp=date(2025, 8, 20), delivery_date=date(2026, 5, 28),
                             outcome=Pregnancy.Outcome.LIVE_BIRTH)
    return overdue, mother, girl


def test_pregnancies_mothers_and_girls_move_by_their_dates_district_by_district(women, world):
    with time_machine.travel(TODAY, tick=False):
        assert set(life_stage_districts(TODAY)) == {world.district1.pk, world.district2.pk}
        life_stage_nightly.delay().get()
        life_stage_nightly.delay().get()
    until = lifestage.ADOLESCENT_UNTIL
    assert _changes() == [
        ("Gita", "lactation_ended", date(2026, 11, 27)),
        ("Rani", "adolescence_ended", lifestage.birthday(date(2026 - until, 11, 26), until)),
        ("Sita", "pregnancy_overdue", date(2026, 10, 9)),
    ]
    assert not Beneficiary.objects.filter(exited_on__isnull=False).exists()  # no one leaves the programme


def test_the_worker_sees_last_nights_changes_on_her_home_page(women, users, login):
    with time_machine.travel(TODAY, tick=False):
        life_stage_nightly.delay().get()
    with time_machine.travel(TODAY + timedelta(days=1), tick=False):
        page = login(users.aww).get("/").content.decode()
        names = [c.beneficiary.name for c in life_stage_changes_tonight(users.aww)]
    assert sorted(names) == ["Gita", "Sita"]  # Rani is in awc5, not hers
    assert "Changes tonight" in page and "Sita" in page and "Rani" not in page
    assert "record the delivery or the outcome" in page
    with time_machine.travel(TODAY + timedelta(days=3), tick=False):
        assert life_stage_changes_tonight(users.aww) == []
        assert "Changes tonight" not in login(users.aww).get("/").content.decode()


def test_a_supervisor_reverses_a_change_but_never_reaching_six(women, children, users):
    with time_machine.travel(TODAY, tick=False):
        life_stage_nightly.delay().get()
    lactation = LifeStageChange.objects.get(kind="lactation_ended")
    aged_out = LifeStageChange.objects.get(kind="aged_out")
    with pytest.raises(ValidationError):
        life_stage_change_undo(actor=users.aww, change=lactation, reason="Delivery date was wrong")
    with pytest.raises(ValidationError):
        life_stage_change_undo(actor=users.supervisor, change=lactation, reason="  ")
    with pytest.raises(ValidationError, match="date of birth"):
        life_stage_change_undo(actor=users.supervisor, change=aged_out, reason="She is five")
    done = life_stage_change_undo(actor=users.supervisor, change=lactation, reason="Delivery date was wrong")
    assert (done.undone_by, done.undo_reason) == (users.supervisor, "Delivery date was wrong")
    assert AuditEvent.objects.filter(actor=users.supervisor, object_type="beneficiaries.lifestagechange",
                                     object_id=str(done.pk)).exists()
    with pytest.raises(ValidationError):
        life_stage_change_undo(actor=users.supervisor, change=lactation, reason="again")
    with time_machine.travel(TODAY + timedelta(days=1), tick=False):
        life_stage_nightly.delay().get()
    assert LifeStageChange.objects.filter(kind="lactation_ended").count() == 1  # a reversed change stays reversed


def test_twelve_simulated_months_exit_every_aged_out_child_exactly_once(world, users):
    start = date(2026, 1, 1)
    awcs = [world.awc1, world.awc4, world.awc5, world.awc6]  # three districts
    with time_machine.travel(date(2025, 6, 1), tick=False):
        kids = []
        for n, awc in enumerate(awcs):
            home = make_household(awc, head_name=f"Head {n}")
            for k in range(6):  # sixth birthdays spread over the year, and some after it
                dob = date(2020, 1, 1) + timedelta(days=70 * k + 9 * n)
                kids.append(make_person(home, name=f"Child {n}-{k}", sex="MF"[k % 2], dob=dob, enrol_as="child"))
    day = start
    while day < date(2027, 1, 1):
        with time_machine.travel(day, tick=False):
            life_stage_nightly.delay().get()
            if day.day == 15:  # a night run twice
                life_stage_nightly.delay(day.isoformat()).get()
        day += timedelta(days=1)
    expected = sorted((k.name, lifestage.birthday(k.dob, 6)) for k in kids if lifestage.birthday(k.dob, 6) < day)
    assert sorted(LifeStageChange.objects.filter(kind="aged_out").values_list("beneficiary__name", "effective_on")) \
        == expected
    assert sorted(Beneficiary.objects.filter(exit_reason="aged_out").values_list("name", "exited_on")) == expected
    assert 0 < len(expected) < len(kids)
    last_night = day - timedelta(days=1)
    with time_machine.travel(last_night, tick=False):  # the whole last night again: nothing changes
        before = (LifeStageChange.objects.count(), AuditEvent.objects.count())
        life_stage_nightly.delay(last_night.isoformat()).get()
        assert (LifeStageChange.objects.count(), AuditEvent.objects.count()) == before
