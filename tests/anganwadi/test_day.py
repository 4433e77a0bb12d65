"""Opening and closing the centre, and the ECCE activity: once a day, with the rules a worker expects."""
import uuid
from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from anganwadi import services
from anganwadi.models import AwcDay, EcceActivity
from poshan.core.models import AuditEvent

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 04:00:00+00:00", tick=False):  # 09:30 in India
        yield


def test_open_once_a_day_second_submission_gets_the_first(world, users):
    first, created = services.awc_day_open(actor=users.aww, awc=world.awc1, day=TODAY, opened_at=time(9, 30),
                                           latitude="23.25990", longitude="77.41260")
    again, created_again = services.awc_day_open(actor=users.aww, awc=world.awc1, day=TODAY, opened_at=time(10, 0))
    assert created and not created_again
    assert again.pk == first.pk and again.opened_at == time(9, 30)
    assert AwcDay.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="anganwadi.awcday", action="create").count() == 1


def test_not_open_needs_a_reason_and_blocks_a_later_open(world, users):
    with pytest.raises(ValidationError, match="why"):
        services.awc_day_not_open(actor=users.aww, awc=world.awc1, day=TODAY, reason="")
    record, _ = services.awc_day_not_open(actor=users.aww, awc=world.awc1, day=TODAY, reason="festival")
    answer, created = services.awc_day_open(actor=users.aww, awc=world.awc1, day=TODAY, opened_at=time(9))
    assert not created and not answer.opened and answer.not_open_reason == "festival"


def test_close_after_open_and_not_before(world, users):
    with pytest.raises(ValidationError, match="opened before closing"):
        services.awc_day_close(actor=users.aww, awc=world.awc1, day=TODAY, closed_at=time(13))
    services.awc_day_open(actor=users.aww, awc=world.awc1, day=TODAY, opened_at=time(9, 30))
    with pytest.raises(ValidationError, match="before the opening"):
        services.awc_day_close(actor=users.aww, awc=world.awc1, day=TODAY, closed_at=time(9))
    closed = services.awc_day_close(actor=users.aww, awc=world.awc1, day=TODAY, closed_at=time(13, 15))
    assert closed.closed_at == time(13, 15)


@pytest.mark.parametrize("day, reason, message", [
    (TODAY + timedelta(days=1), "", "future"),
    (TODAY - timedelta(days=4), "forgot", "more than 3 days"),
    (TODAY - timedelta(days=2), "", "entered late"),
])
def test_backdating_rules(world, users, day, reason, message):
    with pytest.raises(ValidationError, match=message):
        services.awc_day_open(actor=users.aww, awc=world.awc1, day=day, opened_at=time(9), backdate_reason=reason)


def test_backdated_within_window_with_reason(world, users):
    record, created = services.awc_day_open(actor=users.aww, awc=world.awc1, day=TODAY - timedelta(days=3),
                                            opened_at=time(9), backdate_reason="no network on Monday")
    assert created and record.backdate_reason == "no network on Monday"


def test_ecce_needs_an_open_day_and_a_sensible_count(world, users):
    with pytest.raises(ValidationError, match="opened that day"):
        services.ecce_record(actor=users.aww, awc=world.awc1, day=TODAY, activity="story", children=12)
    services.awc_day_open(actor=users.aww, awc=world.awc1, day=TODAY, opened_at=time(9))
    with pytest.raises(ValidationError, match="0–150"):
        services.ecce_record(actor=users.aww, awc=world.awc1, day=TODAY, activity="story", children=400)
    record, created = services.ecce_record(actor=users.aww, awc=world.awc1, day=TODAY, activity="story", children=12)
    assert created and EcceActivity.objects.get().children == 12


def test_today_page_open_then_close(world, users, login):
    client = login(users.aww)
    response = client.post(reverse("anganwadi:today"), {
        "kind": "open", "open-date": TODAY.isoformat(), "open-opened_at": "09:30", "open-client_uuid": str(uuid.uuid4()),
    }, follow=True)
    assert "the centre is open" in response.content.decode()
    response = client.post(reverse("anganwadi:today"), {"kind": "close", "close-date": TODAY.isoformat(),
                                                         "close-closed_at": "13:10"}, follow=True)
    assert "closed at 13:10" in response.content.decode()


def test_today_page_keeps_input_on_error(world, users, login):
    response = login(users.aww).post(reverse("anganwadi:today"), {
        "kind": "ecce", "ecce-date": TODAY.isoformat(), "ecce-activity": "rhyme", "ecce-children": "14"})
    page = response.content.decode()
    assert response.status_code == 400 and "opened that day" in page and 'value="14"' in page


def test_today_page_only_for_centre_workers(world, users, login):
    assert login(users.supervisor).get(reverse("anganwadi:today")).status_code == 403
    assert login(users.aww).get(reverse("anganwadi:today")).status_code == 200


def test_a_client_id_used_at_another_centre_is_refused_not_a_server_error(world, users):
    """An offline id already used for centre A, sent again for centre B: a clear refusal, nothing saved for B."""
    client_uuid = uuid.uuid4()
    services.awc_day_open(actor=users.aww, awc=world.awc1, day=TODAY, opened_at=time(9, 30), client_uuid=client_uuid)
    with pytest.raises(ValidationError) as refused:
        services.awc_day_open(actor=users.aww, awc=world.awc2, day=TODAY, opened_at=time(9, 30),
                              client_uuid=client_uuid)
    assert refused.value.message_dict["client_uuid"] == ["This submission id was already used for another record."]
    with pytest.raises(ValidationError) as refused:
        services.awc_day_not_open(actor=users.aww, awc=world.awc2, day=TODAY, reason="festival",
                                  client_uuid=client_uuid)
    assert refused.value.message_dict["client_uuid"] == ["This submission id was already used for another record."]
    assert not AwcDay.objects.filter(awc=world.awc2).exists()


def test_an_ecce_client_id_used_at_another_centre_is_refused(world, users):
    client_uuid = uuid.uuid4()
    for awc in (world.awc1, world.awc2):
        services.awc_day_open(actor=users.aww, awc=awc, day=TODAY, opened_at=time(9))
    services.ecce_record(actor=users.aww, awc=world.awc1, day=TODAY, activity="story", children=12,
                         client_uuid=client_uuid)
    with pytest.raises(ValidationError) as refused:
        services.ecce_record(actor=users.aww, awc=world.awc2, day=TODAY, activity="story", children=9,
                             client_uuid=client_uuid)
    assert refused.value.message_dict["client_uuid"] == ["This submission id was already used for another record."]
    assert not EcceActivity.objects.filter(awc=world.awc2).exists()
