"""Cascade training ("Poshan Bhi Padhai Bhi"): sessions, attendance, and counts that roll up to the nation."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from poshan.core.roles import Level, Role
from training import selectors, services
from training.models import TrainingAttendance, TrainingSession

LAST_WEEK = timezone.localdate() - dt.timedelta(days=7)


def session(recorder, location=None, curriculum="0-3", date=LAST_WEEK, trainer=None):
    from anganwadi.selectors import user_area

    return services.session_create(actor=recorder, date=date, place="Block office",
                                   location=location or user_area(recorder).location,
                                   trainer=trainer or recorder, curriculum=curriculum)


@pytest.fixture
def trained(world, users, make_user):
    """The DPOs of district2 and district3, after training AWWs: 2 in awc1, 1 in awc3 (project1), 1 in awc4 (project2), 1 in awc5 (district2),
    1 in awc6 (state2). The awc1 pair is trained twice (0–3 then 3–6); one AWH is trained too."""
    workers = {awc: make_user(Role.AWW, getattr(world, awc)) for awc in ("awc3", "awc4", "awc5", "awc6")}
    dpo1 = users.dpo
    dpo2 = make_user(Role.DPO, world.district2)
    dpo3 = make_user(Role.DPO, world.district3)
    first = session(dpo1)
    services.attendance_set(actor=dpo1, session=first,
                            workers=[users.aww, users.awh, make_user(Role.AWW, world.awc1), workers["awc3"],
                                     workers["awc4"]])
    again = session(dpo1, curriculum="3-6")
    services.attendance_set(actor=dpo1, session=again, workers=[users.aww])
    services.attendance_set(actor=dpo2, session=session(dpo2), workers=[workers["awc5"]])
    services.attendance_set(actor=dpo3, session=session(dpo3), workers=[workers["awc6"]])
    return {"dpo2": dpo2, "dpo3": dpo3}


def test_national_figure_counts_each_aww_once(trained, users):
    assert selectors.trained_total(users.ministry) == 6  # the AWH and the repeat are not counted again


def test_district_sums_equal_project_sums_equal_the_nation(world, trained, users):
    ministry = users.ministry
    by_state = selectors.trained_counts(ministry, Level.STATE)
    by_district = selectors.trained_counts(ministry, Level.DISTRICT)
    by_project = selectors.trained_counts(ministry, Level.PROJECT)
    by_awc = selectors.trained_counts(ministry, Level.AWC)
    national = selectors.trained_total(ministry)
    assert sum(by_state.values()) == sum(by_district.values()) == sum(by_project.values()) == \
        sum(by_awc.values()) == national
    assert by_district == {world.district1.pk: 4, world.district2.pk: 1, world.district3.pk: 1}
    assert by_project[world.project1.pk] + by_project[world.project2.pk] == by_district[world.district1.pk]


def test_a_district_sees_its_own_figures_only(world, trained, users):
    assert selectors.trained_total(users.dpo) == 4
    assert selectors.trained_counts(users.dpo, Level.PROJECT) == {world.project1.pk: 3, world.project2.pk: 1}


def test_counts_by_curriculum(trained, users):
    assert selectors.trained_total(users.ministry, curriculum="3-6") == 1
    assert selectors.trained_total(users.ministry, curriculum="0-3") == 6


def test_counts_page_shows_rows_below_the_area(world, trained, users, login):
    page = login(users.dpo).get(reverse("training:counts")).content.decode()
    assert world.project1.name in page and world.project2.name in page
    assert "<strong>4</strong>" in page
    assert world.district2.name not in page


def test_counts_page_is_not_for_workers(users, login):
    assert login(users.aww).get(reverse("training:counts")).status_code == 403


def test_session_page_in_scope_and_out_of_scope(world, trained, users, login):
    theirs = TrainingSession.objects.get(recorded_by=trained["dpo3"])
    ours = TrainingSession.objects.filter(recorded_by=users.dpo).first()
    client = login(users.dpo)
    assert client.get(reverse("training:session", args=[ours.pk])).status_code == 200
    assert client.get(reverse("training:session", args=[theirs.pk])).status_code == 404


def test_sessions_list_holds_only_the_area(trained, users, login):
    page = login(users.state).get(reverse("training:sessions")).content.decode()
    assert page.count("Block office") == 3  # district1 twice, district2 once; not state2


def test_supervisor_records_a_session_and_attendance_through_the_pages(world, users, login):
    client = login(users.supervisor)
    response = client.post(reverse("training:session_new"), {
        "date": LAST_WEEK.isoformat(), "place": "AWC 1 courtyard", "location": world.sector1.pk,
        "trainer": users.supervisor.pk, "curriculum": "3-6",
    })
    created = TrainingSession.objects.get()
    assert response["Location"] == reverse("training:session", args=[created.pk])
    client.post(reverse("training:session", args=[created.pk]), {"workers": [users.aww.pk]})
    assert list(created.attendance.values_list("worker", flat=True)) == [users.aww.pk]


def test_trainer_must_be_a_master_trainer_of_the_area(world, users, make_user):
    far_supervisor = make_user(Role.SUPERVISOR, world.sector5)
    with pytest.raises(ValidationError, match="trainer must be"):
        session(users.dpo, trainer=far_supervisor)
    with pytest.raises(ValidationError, match="trainer must be"):
        session(users.dpo, trainer=users.aww)


def test_session_place_must_be_in_the_area(world, users):
    with pytest.raises(ValidationError, match="place in your area"):
        session(users.dpo, location=world.district2)


def test_attendance_only_for_workers_under_the_session_location(world, users, make_user):
    held = session(users.cdpo, location=world.sector2)
    with pytest.raises(ValidationError, match="session's area"):
        services.attendance_set(actor=users.cdpo, session=held, workers=[users.aww])  # awc1 is in sector1
    assert not TrainingAttendance.objects.exists()


def test_attendance_not_before_the_session_day(users):
    planned = session(users.supervisor, date=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="from the day of the session"):
        services.attendance_set(actor=users.supervisor, session=planned, workers=[users.aww])


def test_attendance_form_replaces_the_list(world, users, make_user):
    second = make_user(Role.AWW, world.awc2)
    held = session(users.supervisor)
    services.attendance_set(actor=users.supervisor, session=held, workers=[users.aww, second])
    assert services.attendance_set(actor=users.supervisor, session=held, workers=[second]) == (0, 1)
    assert list(held.attendance.values_list("worker", flat=True)) == [second.pk]


def test_ministry_may_view_but_not_record_sessions(users, login):
    assert login(users.ministry).get(reverse("training:sessions")).status_code == 200
    assert login(users.ministry).get(reverse("training:session_new")).status_code == 403
