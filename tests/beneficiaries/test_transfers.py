"""Moving people between centres — in a state or across states — with scoping that follows them."""
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from beneficiaries import selectors, services
from beneficiaries.models import AwcMembership, Transfer
from poshan.core.models import AuditEvent
from poshan.core.roles import Role
from tests.factories import make_household, make_person, valid_aadhaar

MOVE_DAY = date(2026, 10, 15)


@pytest.fixture
def family(world, users):
    with time_machine.travel(date(2026, 1, 5), tick=False):
        household = make_household(world.awc1, actor=users.aww)
        mother = make_person(household, actor=users.aww, name="Savita", dob=date(1997, 2, 2), enrol_as="lactating",
                             delivery_date=date(2025, 12, 20), aadhaar=valid_aadhaar(11))
        baby = make_person(household, actor=users.aww, name="Baby Savita", sex="M", dob=date(2025, 12, 20),
                           enrol_as="child")
        baby.mother = mother
        baby.save(update_fields=["mother"])
    return mother, baby


@pytest.fixture
def far_worker(world, make_user):
    """The AWW of a centre in another state."""
    return make_user(Role.AWW, world.awc6)


def test_push_move_to_another_state_and_scoping_follows(world, users, family, far_worker, login):
    mother, baby = family
    with time_machine.travel(MOVE_DAY, tick=False):
        transfer = services.transfer_request(actor=users.aww, beneficiary=mother, to_awc=world.awc6,
                                             kind=Transfer.Kind.PERMANENT)
        services.transfer_decide(actor=far_worker, transfer=transfer, accept=True, deciding_awc=world.awc6)
    mother.refresh_from_db()
    baby.refresh_from_db()
    assert mother.awc == world.awc6 and baby.awc == world.awc6  # the young child moves with her
    assert login(users.aww).get(reverse("beneficiaries:detail", args=[mother.pk])).status_code == 404
    assert login(far_worker).get(reverse("beneficiaries:detail", args=[mother.pk])).status_code == 200
    history = list(AwcMembership.objects.filter(beneficiary=mother).values_list("awc", "start", "end"))
    assert history == [(world.awc1.pk, date(2026, 1, 5), MOVE_DAY), (world.awc6.pk, MOVE_DAY, None)]
    assert AuditEvent.objects.filter(object_type="beneficiaries.transfer", action="update").exists()


def test_pull_by_receiving_centre_needs_the_sender_to_accept(world, users, family, make_user):
    mother, _ = family
    receiver = make_user(Role.AWW, world.awc3)
    transfer = services.transfer_pull(actor=receiver, to_awc=world.awc3, aadhaar=valid_aadhaar(11),
                                      kind=Transfer.Kind.PERMANENT)
    with pytest.raises(ValidationError, match="other centre"):
        services.transfer_decide(actor=receiver, transfer=transfer, accept=True, deciding_awc=world.awc3)
    services.transfer_decide(actor=users.aww, transfer=transfer, accept=True, deciding_awc=world.awc1)
    mother.refresh_from_db()
    assert mother.awc == world.awc3


def test_temporary_move_and_return(world, users, family, far_worker):
    mother, _ = family
    with time_machine.travel(MOVE_DAY, tick=False):
        transfer = services.transfer_request(actor=users.aww, beneficiary=mother, to_awc=world.awc6,
                                             kind=Transfer.Kind.TEMPORARY, expected_return=date(2027, 1, 1))
        services.transfer_decide(actor=far_worker, transfer=transfer, accept=True, deciding_awc=world.awc6)
    with time_machine.travel(date(2026, 12, 10), tick=False):
        services.transfer_return(actor=users.aww, transfer=transfer, returning_to=world.awc1)
    mother.refresh_from_db()
    assert mother.awc == world.awc1
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.RETURNED
    assert [m.awc_id for m in AwcMembership.objects.filter(beneficiary=mother)] == [
        world.awc1.pk, world.awc6.pk, world.awc1.pk]


def test_monthly_counts_attribute_each_month_to_the_right_centre(world, users, family, far_worker):
    mother, _ = family
    with time_machine.travel(MOVE_DAY, tick=False):
        transfer = services.transfer_request(actor=users.aww, beneficiary=mother, to_awc=world.awc6,
                                             kind=Transfer.Kind.PERMANENT)
        services.transfer_decide(actor=far_worker, transfer=transfer, accept=True, deciding_awc=world.awc6)
    september_end, october_end = date(2026, 9, 30), date(2026, 10, 31)
    assert selectors.members_on(awc_ids=[world.awc1.pk], on=september_end).filter(beneficiary=mother).exists()
    assert not selectors.members_on(awc_ids=[world.awc6.pk], on=september_end).filter(beneficiary=mother).exists()
    assert selectors.members_on(awc_ids=[world.awc6.pk], on=october_end).filter(beneficiary=mother).exists()
    assert not selectors.members_on(awc_ids=[world.awc1.pk], on=october_end).filter(beneficiary=mother).exists()


def test_refused_move_leaves_the_person_where_they_were(world, users, family, far_worker):
    mother, _ = family
    transfer = services.transfer_request(actor=users.aww, beneficiary=mother, to_awc=world.awc6,
                                         kind=Transfer.Kind.PERMANENT)
    services.transfer_decide(actor=far_worker, transfer=transfer, accept=False, deciding_awc=world.awc6)
    mother.refresh_from_db()
    assert mother.awc == world.awc1


def test_only_one_pending_move_at_a_time(world, users, family):
    mother, _ = family
    services.transfer_request(actor=users.aww, beneficiary=mother, to_awc=world.awc6, kind="permanent")
    with pytest.raises(ValidationError, match="already waiting"):
        services.transfer_request(actor=users.aww, beneficiary=mother, to_awc=world.awc3, kind="permanent")


def test_moves_page_shows_accept_to_receiver_only(world, users, family, far_worker, login):
    mother, _ = family
    transfer = services.transfer_request(actor=users.aww, beneficiary=mother, to_awc=world.awc6, kind="permanent")
    receiver_page = login(far_worker).get(reverse("beneficiaries:transfers")).content.decode()
    assert reverse("beneficiaries:transfer_action", args=[transfer.pk, "accept"]) in receiver_page
    sender_page = login(users.aww).get(reverse("beneficiaries:transfers")).content.decode()
    assert reverse("beneficiaries:transfer_action", args=[transfer.pk, "accept"]) not in sender_page
    outsider = login(users.cdpo).get(reverse("beneficiaries:transfers"))
    assert outsider.status_code == 403
    response = login(far_worker).post(reverse("beneficiaries:transfer_action", args=[transfer.pk, "accept"]))
    assert response.status_code == 302
    mother.refresh_from_db()
    assert mother.awc == world.awc6
