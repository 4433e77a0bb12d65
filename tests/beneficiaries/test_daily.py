"""Attendance with the hot cooked meal, home visits, and the month's service summary."""
import re
import uuid
from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anganwadi.services import awc_day_not_open, awc_day_open
from beneficiaries import selectors, services
from beneficiaries.models import Attendance, Beneficiary, HomeVisit
from poshan.core.models import AuditEvent
from poshan.core.roles import Role
from tests.factories import make_household, make_person
from tests.sql import sent_statements

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 04:00:00+00:00", tick=False):
        yield


@pytest.fixture
def kids(world, users):
    """Five children of 3–6 years at awc1, one toddler there, and one 3–6 child at awc2."""
    household = make_household(world.awc1)
    preschool = [make_person(household, name=f"Kid {i}", sex="MF"[i % 2], dob=date(2022, 1, 1 + i), enrol_as="child")
                 for i in range(5)]
    toddler = make_person(household, name="Toddler", sex="M", dob=date(2025, 1, 1), enrol_as="child")
    other = make_person(make_household(world.awc2), name="Neighbour", sex="F", dob=date(2022, 3, 3), enrol_as="child")
    return preschool, toddler, other


def test_sheet_saves_good_children_and_reports_the_others(world, users, kids):
    preschool, toddler, other = kids
    result = services.attendance_record(
        actor=users.aww, awc=world.awc1, day=TODAY,
        present=[preschool[0].pk, preschool[1].pk, preschool[2].pk, toddler.pk, other.pk, 999999],
        hcm=[preschool[0].pk, preschool[1].pk, preschool[4].pk])
    assert (result.saved, result.meals) == (3, 2)
    assert {(r["child"], r["code"]) for r in result.rejected} == {
        (toddler.pk, "not_3_6"), (other.pk, "not_enrolled"), (999999, "not_enrolled")}
    assert set(Attendance.objects.values_list("child_id", "hcm")) == {
        (preschool[0].pk, True), (preschool[1].pk, True), (preschool[2].pk, False)}


def test_sheet_is_one_bulk_insert_whatever_the_number_of_children(world, users):
    household = make_household(world.awc1)
    many = [make_person(household, name=f"C{i}", sex="F", dob=date(2022, 6, 1), enrol_as="child").pk
            for i in range(40)]
    few = many[:3]
    with CaptureQueriesContext(connection) as small:
        services.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY - timedelta(days=1), present=few,
                                   hcm=few, backdate_reason="late")
    with CaptureQueriesContext(connection) as large:
        services.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY, present=many, hcm=many)
    assert len(large.captured_queries) == len(small.captured_queries)
    inserts = [q for q in large.captured_queries if q["sql"].startswith('INSERT INTO "beneficiaries_attendance"')]
    assert len(inserts) == 1


def test_same_submission_replayed_is_answered_with_the_first(world, users, kids):
    preschool, _, _ = kids
    key = uuid.uuid4()
    first = services.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY, present=[preschool[0].pk],
                                       hcm=[], client_uuid=key)
    again = services.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY, present=[preschool[0].pk],
                                       hcm=[], client_uuid=key)
    assert again.replayed and again.saved == first.saved == 1
    assert Attendance.objects.count() == 1


def test_child_marked_twice_is_reported_not_duplicated(world, users, kids):
    preschool, _, _ = kids
    services.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY, present=[preschool[0].pk], hcm=[])
    second = services.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY,
                                        present=[preschool[0].pk, preschool[1].pk], hcm=[])
    assert second.already == [preschool[0].pk] and second.saved == 1
    assert Attendance.objects.count() == 2


def test_no_attendance_for_a_closed_day_or_the_future(world, users, kids):
    preschool, _, _ = kids
    awc_day_not_open(actor=users.aww, awc=world.awc1, day=TODAY, reason="holiday")
    with pytest.raises(ValidationError, match="not open"):
        services.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY, present=[preschool[0].pk], hcm=[])
    with pytest.raises(ValidationError, match="future"):
        services.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY + timedelta(days=1),
                                   present=[preschool[0].pk], hcm=[])
    assert not Attendance.objects.exists()


def test_correction_is_audited_and_exact(world, users, kids):
    preschool, _, _ = kids
    ids = [p.pk for p in preschool]
    services.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY, present=ids[:3], hcm=ids[:3])
    services.attendance_correct(actor=users.aww, awc=world.awc1, day=TODAY, present=ids[1:4], hcm=[ids[1]])
    assert dict(Attendance.objects.values_list("child_id", "hcm")) == {ids[1]: True, ids[2]: False, ids[3]: False}
    assert AuditEvent.objects.filter(object_type="beneficiaries.attendance", action="update").exists()


def test_attendance_page_nobody_ticked_by_default_and_saves(world, users, kids, login):
    preschool, _, _ = kids
    client = login(users.aww)
    page = client.get(reverse("beneficiaries:attendance")).content.decode()
    assert 'name="present" value="%d" checked' % preschool[0].pk not in page
    assert f'name="present" value="{preschool[0].pk}"' in page
    response = client.post(reverse("beneficiaries:attendance"), {
        "date": TODAY.isoformat(), "present": [preschool[0].pk, preschool[1].pk], "hcm": [preschool[0].pk],
        "client_uuid": str(uuid.uuid4())}, follow=True)
    assert "Saved: 2 present, 1 ate the meal." in response.content.decode()


def test_attendance_page_keeps_ticks_when_the_date_is_refused(world, users, kids, login):
    preschool, _, _ = kids
    response = login(users.aww).post(reverse("beneficiaries:attendance"), {
        "date": (TODAY - timedelta(days=1)).isoformat(), "present": [preschool[0].pk]})
    page = response.content.decode()
    assert response.status_code == 400 and "entered late" in page
    assert f'value="{preschool[0].pk}" checked' in page


def test_attendance_cannot_be_sent_into_another_centre(world, users, kids, login):
    _, _, other = kids
    response = login(users.aww).post("/api/v1/attendance/", {"date": TODAY.isoformat(), "present": [other.pk]},
                                     content_type="application/json")
    assert response.status_code == 201 and response.json()["saved"] == 0
    assert not Attendance.objects.filter(child=other).exists()
    assert login(users.supervisor).post("/api/v1/attendance/", {"date": TODAY.isoformat(), "present": [other.pk]},
                                        content_type="application/json").status_code == 403


def test_home_visit_marks_the_person_visited_and_links_counselling(world, users, login):
    household = make_household(world.awc1)
    mother = make_person(household, name="Gauri", dob=date(1998, 1, 1), enrol_as="pregnant", lmp=date(2026, 6, 1))
    assert mother in selectors.due_for_home_visit(user=users.aww)
    client = login(users.aww)
    response = client.post(reverse("beneficiaries:home_visit", args=[mother.pk]), {
        "date": TODAY.isoformat(), "purpose": "pregnancy", "topic": "birth_preparedness"}, follow=True)
    page = response.content.decode()
    assert "Saved the home visit to Gauri" in page
    assert "/training/videos/?topic=birth_preparedness" in page
    assert Beneficiary.objects.get(pk=mother.pk).last_visited_on == TODAY
    assert mother not in selectors.due_for_home_visit(user=users.aww)


def test_home_visit_for_another_centres_person_is_not_found(world, users, login, kids):
    _, _, other = kids
    assert login(users.aww).get(reverse("beneficiaries:home_visit", args=[other.pk])).status_code == 404


def test_a_home_visit_costs_its_few_statements(world, users):
    """A home visit with a client id, as the phone sends it: the INSERT claims the id in one statement, the person
    marked visited, the audit row; no lookup before, no constraint checked by a SELECT, no savepoint of its own.
    Before: 10 statements and two savepoint pairs."""
    mother = make_person(make_household(world.awc1), name="Gauri", dob=date(1998, 1, 1), enrol_as="pregnant",
                         lmp=date(2026, 6, 1))
    services.home_visit_record(actor=users.aww, awc=world.awc1, beneficiary=mother, day=TODAY - timedelta(days=1),
                               purpose="pregnancy", backdate_reason="entered late", client_uuid=uuid.uuid4())
    with CaptureQueriesContext(connection) as seen:
        visit = services.home_visit_record(actor=users.aww, awc=world.awc1, beneficiary=mother, day=TODAY,
                                           purpose="pregnancy", topic="birth_preparedness", client_uuid=uuid.uuid4())
    statements = sent_statements(seen.captured_queries)
    work = [sql for sql in statements if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(work) == 3, "\n".join(sql[:120] for sql in statements)
    assert len(statements) - len(work) == 2  # the one savepoint: the test's own transaction around the service's
    assert HomeVisit.objects.filter(beneficiary=mother).count() == 2 and visit.pk
    assert Beneficiary.objects.get(pk=mother.pk).last_visited_on == TODAY
    assert AuditEvent.objects.filter(object_type="beneficiaries.homevisit", object_id=str(visit.pk)).exists()


def test_a_home_visit_sent_again_is_answered_with_the_first_and_nowhere_else(world, users, make_user):
    """The phone's retry is the first visit, not a second; the same id from another centre is refused on
    client_uuid, and an empty purpose still gets its message. Nothing is saved twice."""
    mother = make_person(make_household(world.awc1), name="Gauri", dob=date(1998, 1, 1), enrol_as="pregnant",
                         lmp=date(2026, 6, 1))
    neighbour = make_person(make_household(world.awc2), name="Meera", dob=date(1997, 1, 1), enrol_as="pregnant",
                            lmp=date(2026, 7, 1))
    sent = uuid.uuid4()
    first = services.home_visit_record(actor=users.aww, awc=world.awc1, beneficiary=mother, day=TODAY,
                                       purpose="pregnancy", client_uuid=sent)
    again = services.home_visit_record(actor=users.aww, awc=world.awc1, beneficiary=mother, day=TODAY,
                                       purpose="newborn", client_uuid=sent)
    assert again.pk == first.pk and again.purpose == "pregnancy"
    other_worker = make_user(Role.AWW, world.awc2)
    with pytest.raises(ValidationError) as refused:
        services.home_visit_record(actor=other_worker, awc=world.awc2, beneficiary=neighbour, day=TODAY,
                                   purpose="pregnancy", client_uuid=sent)
    assert "client_uuid" in refused.value.message_dict
    with pytest.raises(ValidationError) as empty:
        services.home_visit_record(actor=users.aww, awc=world.awc1, beneficiary=mother, day=TODAY, purpose="",
                                   client_uuid=uuid.uuid4())
    assert "purpose" in empty.value.message_dict
    assert HomeVisit.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="beneficiaries.homevisit").count() == 1


def test_monthly_summary_on_a_hand_made_month(world, users, make_user):
    """November 2026 at awc1: open on 3 days (1 not open), attendance 2, 4, 3 → average 3.0;
    one child fed on 21 days, another on 20; 2 women due a visit, one visited twice."""
    household = make_household(world.awc1)
    a, b, c, d = [make_person(household, name=n, sex="F", dob=date(2022, 2, 2), enrol_as="child") for n in "ABCD"]
    mother1 = make_person(household, name="M1", dob=date(1995, 1, 1), enrol_as="pregnant", lmp=date(2026, 5, 1))
    make_person(household, name="M2", dob=date(1996, 1, 1), enrol_as="lactating", delivery_date=date(2026, 10, 1))
    with time_machine.travel("2026-11-05 04:00:00+00:00", tick=False):
        for day, present in ((date(2026, 11, 3), [a, b]), (date(2026, 11, 4), [a, b, c, d]),
                             (date(2026, 11, 5), [a, b, c])):
            awc_day_open(actor=users.aww, awc=world.awc1, day=day, opened_at=time(9), backdate_reason="test")
            Attendance.objects.bulk_create([Attendance(awc=world.awc1, child=p, date=day) for p in present])
        awc_day_not_open(actor=users.aww, awc=world.awc1, day=date(2026, 11, 2), reason="holiday",
                         backdate_reason="test")
    Attendance.objects.filter(date__in=[date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 5)]).update(hcm=True)
    extra_days = [date(2026, 11, n) for n in range(6, 24)]  # 18 more meal days for A, 17 for B
    Attendance.objects.bulk_create([Attendance(awc=world.awc1, child=a, date=x, hcm=True) for x in extra_days]
                                   + [Attendance(awc=world.awc1, child=b, date=x, hcm=True) for x in extra_days[:17]])
    services.home_visit_record(actor=users.aww, awc=world.awc1, beneficiary=mother1, day=date(2026, 11, 25),
                               purpose="pregnancy", backdate_reason="test")
    services.home_visit_record(actor=users.aww, awc=world.awc1, beneficiary=mother1, day=TODAY, purpose="pregnancy")
    summary = selectors.service_summary(awc_ids=[world.awc1.pk, world.awc2.pk], month=date(2026, 11, 1))
    s = summary[world.awc1.pk]
    assert s.days_open == 3
    assert s.attendance_total == 2 + 4 + 3 + 18 + 17
    assert s.children_hcm_21 == 1  # A: 3 + 18 = 21 days; B: 3 + 17 = 20
    assert s.children_pse_21 == 1  # the same days at the pre-school
    assert s.days_with_attendance == 21  # the 3rd to the 23rd, each counted once however many children came
    assert (s.home_visits, s.visits_due, s.visits_done) == (2, 2, 1)
    assert summary[world.awc2.pk].days_open == 0


def test_women_due_a_visit_are_found_person_by_person(world, users):
    """Pregnant or lactating on the month's last day, each woman's pregnancies probed through her index: with an
    EXISTS (two, ORed) PostgreSQL may hash every pregnancy of the country for one sector's page."""
    household = make_household(world.awc1)
    pregnant = make_person(household, name="P", dob=date(1995, 1, 1), enrol_as="pregnant", lmp=date(2026, 6, 1))
    nursing = make_person(household, name="L", dob=date(1996, 1, 1), enrol_as="lactating",
                          delivery_date=date(2026, 10, 1))
    make_person(household, name="Member", dob=date(1990, 1, 1))
    make_person(make_household(world.awc3), name="Elsewhere", dob=date(1995, 1, 1), enrol_as="pregnant",
                lmp=date(2026, 6, 1))
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.service_summary(awc_ids=[world.awc1.pk], month=date(2026, 11, 1))
    assert summary[world.awc1.pk].visits_due == 2
    assert not [q for q in queries if 'EXISTS(SELECT 1 AS "a" FROM "beneficiaries_pregnancy"' in q["sql"]]
    assert set(selectors.due_for_home_visit(user=users.aww)) == {pregnant, nursing}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plan: how often a subquery ran")
def test_only_women_past_early_childhood_have_their_pregnancies_probed(world, users):
    """A child under six is never pregnant or lactating: the women due a visit are found without probing the
    pregnancies of the area's children, who are most of a centre's register (a rollup chunk probed every one)."""
    household = make_household(world.awc1)
    make_person(household, name="P", dob=date(1995, 1, 1), enrol_as="pregnant", lmp=date(2026, 6, 1))
    for n in range(6):
        make_person(household, name=f"Child {n}", sex="MF"[n % 2], dob=date(2023, 1, 1 + n), enrol_as="child")
    end = date(2026, 11, 30)
    area = Beneficiary.objects.filter(awc=world.awc1)
    plan = area.filter(selectors.pregnant_or_lactating_q(end)).explain(analyze=True)
    probes = re.search(r"SubPlan.*?loops=(\d+)", plan, re.DOTALL)
    grown = area.filter(dob__lte=date(2020, 11, 30)).count()
    assert grown < area.count()
    assert probes and int(probes.group(1)) == grown
    assert list(area.filter(selectors.pregnant_or_lactating_q(end)).values_list("name", flat=True)) == ["P"]


def test_supervisor_sees_the_summary_of_each_of_her_centres(world, users, login):
    page = login(users.supervisor).get(reverse("beneficiaries:summary")).content.decode()
    assert world.awc1.name in page and world.awc2.name in page and world.awc3.name not in page
    assert login(users.dpo).get(reverse("beneficiaries:summary")).status_code == 403


def test_no_meal_is_recorded_for_an_absent_child_on_a_sheet_or_its_correction(world, users, kids):
    preschool, _, _ = kids
    ids = [p.pk for p in preschool]
    result = services.attendance_record(actor=users.aww, awc=world.awc1, day=TODAY, present=ids[:1], hcm=ids[:3])
    assert result.meals == 1
    assert dict(Attendance.objects.values_list("child_id", "hcm")) == {ids[0]: True}
    corrected = services.attendance_correct(actor=users.aww, awc=world.awc1, day=TODAY, present=ids[1:2],
                                            hcm=ids[:4])
    assert corrected.meals == 1
    assert dict(Attendance.objects.values_list("child_id", "hcm")) == {ids[1]: True}
