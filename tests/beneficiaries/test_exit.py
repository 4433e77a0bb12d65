"""Leaving the programme: nothing pre-chosen, a confirmation before it is recorded, and a supervisor's undo."""
import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from beneficiaries.models import AwcMembership, Beneficiary, ExitUndo
from beneficiaries.services import beneficiary_exit, beneficiary_exit_undo
from poshan.core.models import AuditEvent
from poshan.core.roles import Role
from tests.factories import make_household, make_person

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def asha(world, users):
    return make_person(make_household(world.awc1, actor=users.aww), name="Asha Devi", sex="F",
                       dob=date(1995, 3, 3))


def _exit_url(person):
    return reverse("beneficiaries:exit", args=[person.pk])


def test_the_exit_form_has_no_reason_chosen(asha, users, login):
    for url in (reverse("beneficiaries:detail", args=[asha.pk]), _exit_url(asha)):
        page = login(users.aww).get(url).content.decode()
        radios = re.findall(r'<input[^>]*name="reason"[^>]*>', page)
        assert len(radios) == 3 and not [r for r in radios if "checked" in r]
        assert re.search(r'<input[^>]*type="checkbox"[^>]*name="confirm"[^>]*>', page)


def test_a_reason_alone_does_not_record_leaving(asha, users, login):
    response = login(users.aww).post(_exit_url(asha), {"reason": "death"})
    assert response.status_code == 400
    asha.refresh_from_db()
    assert asha.exited_on is None
    chosen = re.findall(r'<input[^>]*name="reason"[^>]*value="death"[^>]*>', response.content.decode())
    assert len(chosen) == 1 and "checked" in chosen[0]  # her choice is kept


def test_no_reason_does_not_record_leaving(asha, users, login):
    response = login(users.aww).post(_exit_url(asha), {"confirm": "on"})
    assert response.status_code == 400
    asha.refresh_from_db()
    assert asha.exited_on is None


def test_reason_and_confirmation_record_leaving(asha, users, login):
    response = login(users.aww).post(_exit_url(asha), {"reason": "moved_away", "confirm": "on"})
    assert response.status_code == 302
    asha.refresh_from_db()
    assert asha.exited_on == TODAY and asha.exit_reason == "moved_away"


def test_supervisor_undoes_a_mistaken_exit_with_a_reason_and_it_is_audited(asha, users):
    beneficiary_exit(actor=users.aww, beneficiary=asha, reason="death")

    beneficiary_exit_undo(actor=users.supervisor, beneficiary=asha, reason="Tapped Death by mistake; she is alive")

    asha.refresh_from_db()
    assert asha.exited_on is None and asha.exit_reason == ""
    assert AwcMembership.objects.get(beneficiary=asha, end__isnull=True).awc_id == asha.awc_id
    undo = ExitUndo.objects.get(beneficiary=asha)
    assert (undo.exited_on, undo.exit_reason, undo.undone_by, undo.reason) == (
        TODAY, "death", users.supervisor, "Tapped Death by mistake; she is alive")
    assert AuditEvent.objects.filter(actor=users.supervisor, action="update", object_type="beneficiaries.beneficiary",
                                     object_id=str(asha.pk), fields=["exit_reason", "exited_on"]).exists()
    assert AuditEvent.objects.filter(actor=users.supervisor, action="create", object_type="beneficiaries.exitundo",
                                     object_id=str(undo.pk)).exists()


def test_undo_needs_a_reason(asha, users):
    beneficiary_exit(actor=users.aww, beneficiary=asha, reason="death")
    with pytest.raises(ValidationError) as caught:
        beneficiary_exit_undo(actor=users.supervisor, beneficiary=asha, reason="  ")
    assert "reason" in caught.value.message_dict
    asha.refresh_from_db()
    assert asha.exited_on == TODAY


def test_undo_of_someone_who_has_not_left_is_refused(asha, users):
    with pytest.raises(ValidationError):
        beneficiary_exit_undo(actor=users.supervisor, beneficiary=asha, reason="mistake")


def test_reaching_six_is_not_undone_by_hand(world, users):
    child = make_person(make_household(world.awc1), name="Golu", dob=date(2020, 1, 1))
    Beneficiary.objects.filter(pk=child.pk).update(exited_on=date(2026, 1, 1), exit_reason="aged_out")
    child.refresh_from_db()
    with pytest.raises(ValidationError):
        beneficiary_exit_undo(actor=users.supervisor, beneficiary=child, reason="mistake")


def test_only_a_supervisor_of_the_area_may_undo(asha, users, make_user, world):
    beneficiary_exit(actor=users.aww, beneficiary=asha, reason="death")
    other_supervisor = make_user(Role.SUPERVISOR, world.sector2)
    for actor in (users.aww, other_supervisor, users.dpo):
        with pytest.raises(ValidationError):
            beneficiary_exit_undo(actor=actor, beneficiary=asha, reason="mistake")
    asha.refresh_from_db()
    assert asha.exited_on == TODAY


def test_supervisor_undoes_from_the_person_page(asha, users, login, make_user, world):
    beneficiary_exit(actor=users.aww, beneficiary=asha, reason="death")
    detail = reverse("beneficiaries:detail", args=[asha.pk])
    undo = reverse("beneficiaries:exit_undo", args=[asha.pk])
    assert undo in login(users.supervisor).get(detail).content.decode()
    assert undo not in login(users.aww).get(detail).content.decode()

    assert login(users.aww).post(undo, {"reason": "mistake"}).status_code == 403
    other_supervisor = make_user(Role.SUPERVISOR, world.sector2)
    assert login(other_supervisor).post(undo, {"reason": "mistake"}).status_code == 404

    empty = login(users.supervisor).post(undo, {"reason": ""})
    assert empty.status_code == 400
    response = login(users.supervisor).post(undo, {"reason": "She is alive: Death was tapped by mistake"})
    assert response.status_code == 302
    asha.refresh_from_db()
    assert asha.exited_on is None
