"""Malnutrition cases through the services: opened by every measurement at once, each step one audited
event, the stored state derived again, the case travelling with the child, the nightly refresh."""
from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from growth.cases import rules, services
from growth.models import Case, CaseEvent, CaseRulesOverride, Measurement
from poshan.core.models import AuditEvent
from tests.growth.conftest import TODAY, days_ago

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def child(world, make_child):
    return make_child(world.awc1, age_days=730, sex="F")


def at(n: int):
    """The clock on the day n days before TODAY: each step is recorded on its own day."""
    return time_machine.travel(days_ago(n), tick=False)


def sam(measure, child, n=40, muac=11.0, **kw):
    return measure(child, on=days_ago(n), weight=8.0, muac=muac, **kw)


def test_a_sam_measurement_opens_a_case_at_once(measure, child, world):
    m = sam(measure, child)
    case = Case.objects.get(child=child)
    assert (case.category, case.opened_on, case.opened_by_id, case.is_open) == (rules.SAM, m.date, m.pk, True)
    assert (case.awc_id, case.sector_id, case.district_id, case.state_id) == (
        world.awc1.pk, world.sector1.pk, world.district1.pk, world.state1.pk)
    assert (case.status, case.next_step, case.next_due) == (rules.ASSESSMENT, rules.STEP_APPETITE_TEST, m.date)
    assert case.overdue_list == [rules.STEP_APPETITE_TEST, rules.STEP_COMPLICATIONS]
    event = case.events.get()
    assert (event.kind, event.measurement_id, event.payload["category"]) == (rules.IDENTIFIED, m.pk, rules.SAM)
    assert AuditEvent.objects.filter(object_type="growth.caseevent", object_id=str(event.pk)).exists()
    assert case.rules_version == rules.DEFAULT_RULES.version


def test_normal_and_moderate_measurements(measure, child, make_child, world):
    measure(child, on=days_ago(40), weight=11.0, muac=14.0)
    assert not Case.objects.exists()
    other = make_child(world.awc1, age_days=730)
    measure(other, on=days_ago(40), weight=9.5, muac=12.0)
    case = Case.objects.get(child=other)
    assert (case.category, case.status, case.next_step) == (rules.MAM, rules.IN_TREATMENT, rules.STEP_BUDDY_MOTHER)


def test_one_open_case_per_child_in_the_database(measure, child):
    case = sam(measure, child) and Case.objects.get(child=child)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(child=child, awc=case.awc, sector=case.sector, project=case.project,
                            district=case.district, state=case.state, category=rules.MAM, opened_on=TODAY,
                            rules_version="x", status=rules.IN_TREATMENT, derived_on=TODAY)


def test_events_are_never_changed_or_deleted(measure, child):
    sam(measure, child)
    event = CaseEvent.objects.get()
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_sam_child_from_measurement_to_recovery_and_relapse(measure, child, users):
    aww = users.aww
    with at(40):
        sam(measure, child, n=40)
        case = Case.objects.get(child=child)
        services.appetite_test_record(actor=aww, case=case, on=days_ago(40), result=rules.PASSED)
        services.complications_record(actor=aww, case=case, on=days_ago(40), signs=[])
        case.refresh_from_db()
        assert (case.status, case.next_step, case.next_due) == (
            rules.IN_TREATMENT, rules.STEP_SCREENING, days_ago(35))
    with at(37):
        services.screening_record(actor=aww, case=case, on=days_ago(37), findings="no infection",
                                  medicines=["amoxicillin", "vitamin_a"])
        services.buddy_mother_assign(actor=aww, case=case, on=days_ago(38), name="Sunita (mother of Ravi)")
        services.counselling_record(actor=aww, case=case, on=days_ago(38), topic="feeding")
    key = uuid.uuid4()
    with at(33):
        first = services.followup_record(actor=aww, case=case, on=days_ago(33), weight_kg=Decimal("8.30"),
                                         muac_cm=Decimal("12.0"), appetite=rules.PASSED, client_uuid=key)
        again = services.followup_record(actor=aww, case=case, on=days_ago(33), weight_kg=Decimal("8.30"),
                                         muac_cm=Decimal("12.0"), appetite=rules.PASSED, client_uuid=key)
    assert first.pk == again.pk and first.payload["appetite"] == rules.PASSED and first.measurement_id
    assert first.client_uuid == key and Measurement.objects.filter(child=child).count() == 2
    with at(26):
        services.followup_record(actor=aww, case=case, on=days_ago(26), weight_kg="8.60", muac_cm="12.6")
    case.refresh_from_db()
    assert case.is_open
    with at(19):
        services.followup_record(actor=aww, case=case, on=days_ago(19), weight_kg="8.90", muac_cm="12.8")
    case.refresh_from_db()
    assert (case.is_open, case.outcome, case.closed_on) == (False, rules.RECOVERED, days_ago(19))
    assert case.weight_gain_g_kg_day == round(0.9 * 1000 / (8.0 * 21), 1)
    assert case.next_step == rules.STEP_POST_RECOVERY
    # The monthly follow-up after recovery is recorded on the closed case.
    measure(child, on=days_ago(10), weight=9.0, muac=12.9)
    assert case.events.filter(kind=rules.FOLLOWUP).count() == 4 and Case.objects.count() == 1
    # SAM again within three months: a new case, linked to the old one.
    measure(child, on=days_ago(2), weight=8.4, muac=11.3)
    relapse = Case.objects.get(child=child, is_open=True)
    assert relapse.relapse_of_id == case.pk and relapse.events.get().payload["relapse_of"] == case.pk


def test_complicated_sam_goes_to_the_nrc_and_back(measure, child, users):
    aww, supervisor = users.aww, users.supervisor
    sam(measure, child, n=12)
    case = Case.objects.get()
    services.appetite_test_record(actor=aww, case=case, on=days_ago(12), result=rules.FAILED)
    services.complications_record(actor=aww, case=case, on=days_ago(12), signs=["fever"])
    case.refresh_from_db()
    assert (case.next_step, case.status) == (rules.STEP_REFER, rules.ASSESSMENT)
    with pytest.raises(ValidationError):
        services.referral_outcome_record(actor=aww, case=case, on=days_ago(11), outcome=rules.ADMITTED)
    services.referral_record(actor=aww, case=case, on=days_ago(11), facility="NRC District Hospital")
    case.refresh_from_db()
    assert (case.status, case.level, case.referral_open_since) == (rules.REFERRAL_PENDING, rules.NRC, days_ago(11))
    assert case.overdue_list == [rules.STEP_REFERRAL_OUTCOME]
    services.referral_outcome_record(actor=supervisor, case=case, on=days_ago(3), outcome=rules.ADMITTED)
    with pytest.raises(ValidationError):
        services.referral_outcome_record(actor=aww, case=case, on=days_ago(2), outcome=rules.REFUSED)
    services.referral_outcome_record(actor=aww, case=case, on=days_ago(1), outcome=rules.RETURNED, weight_kg="8.5")
    case.refresh_from_db()
    assert (case.status, case.level, case.nrc_referrals, case.nrc_admissions) == (
        rules.IN_TREATMENT, rules.CENTRE, 1, 1)


@pytest.mark.parametrize("call, field", [
    (lambda c, a: services.appetite_test_record(actor=a, case=c, on=TODAY, result="maybe"), "result"),
    (lambda c, a: services.appetite_test_record(actor=a, case=c, on=TODAY, result=rules.NOT_DONE), "reason"),
    (lambda c, a: services.appetite_test_record(actor=a, case=c, on=TODAY + timedelta(days=1),
                                                result=rules.PASSED), "date"),
    (lambda c, a: services.appetite_test_record(actor=a, case=c, on=days_ago(50), result=rules.PASSED), "date"),
    (lambda c, a: services.complications_record(actor=a, case=c, on=TODAY, signs=["hiccups"]), "signs"),
    (lambda c, a: services.referral_record(actor=a, case=c, on=TODAY, facility="  "), "facility"),
    (lambda c, a: services.screening_record(actor=a, case=c, on=TODAY, medicines=["aspirin"]), "medicines"),
    (lambda c, a: services.case_exit(actor=a, case=c, on=TODAY, outcome=rules.RECOVERED), "outcome"),
    (lambda c, a: services.buddy_mother_assign(actor=a, case=c, on=TODAY, name="x" * 301), "name"),
    (lambda c, a: services.followup_record(actor=a, case=c, on=TODAY, weight_kg="8.0", appetite="yes"),
     "appetite"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(measure, child, users, call, field):
    sam(measure, child)
    case = Case.objects.get()
    before = CaseEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        call(case, users.aww)
    assert field in caught.value.message_dict
    assert CaseEvent.objects.count() == before


def test_a_closed_case_takes_no_more_steps(measure, child, users):
    sam(measure, child)
    case = Case.objects.get()
    services.case_exit(actor=users.aww, case=case, on=days_ago(5), outcome=rules.DIED, note="")
    case.refresh_from_db()
    assert (case.is_open, case.outcome, case.closed_on) == (False, rules.DIED, days_ago(5))
    with pytest.raises(ValidationError):
        services.counselling_record(actor=users.aww, case=case, on=TODAY)
    with pytest.raises(ValidationError):
        services.followup_record(actor=users.aww, case=case, on=TODAY, weight_kg="8.0")


def test_the_state_sets_its_own_follow_up_interval(measure, child, world):
    CaseRulesOverride.objects.create(state=world.state1, overrides={"followup_days_mam": 7, "version": "S1-2025"})
    measure(child, on=days_ago(3), weight=9.5, muac=12.0)
    case = Case.objects.get()
    assert case.rules_version == "S1-2025"
    state = services.case_state(case)
    assert rules.Due(rules.STEP_FOLLOWUP, days_ago(3) + timedelta(days=7)) in state.due


def test_nightly_refresh_moves_the_calendar_and_opens_missed_cases(measure, child, make_child, world, users):
    measure(child, on=days_ago(60), weight=9.5, muac=12.0)  # MAM, nothing since: defaulted (3 x 14 days)
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(is_open=True, status=rules.IN_TREATMENT, outcome="", closed_on=None)
    assert services.cases_refresh() == 1
    case.refresh_from_db()
    assert (case.is_open, case.outcome, case.closed_on) == (False, rules.DEFAULTED, days_ago(60) + timedelta(days=43))
    # A measurement that reached the table without the service (an import) gets its case at night.
    other = make_child(world.awc2, age_days=700)
    m = Measurement.objects.create(child=other, awc=world.awc2, district=world.district1, date=days_ago(1),
                                   weight_kg=Decimal("8.0"), muac_cm=Decimal("11.0"), acute=2)
    assert services.cases_open_missed(measurement_ids=[m.pk]) == 1
    assert services.cases_open_missed(measurement_ids=[m.pk]) == 0
    assert Case.objects.get(child=other).category == rules.SAM


def test_the_case_travels_with_the_child_to_another_state(measure, child, users, world, make_user):
    from beneficiaries import services as people
    from beneficiaries.models import Transfer
    from poshan.core.roles import Role

    sam(measure, child, n=3)
    case = Case.objects.get()
    transfer = people.transfer_request(actor=users.aww, beneficiary=child, to_awc=world.awc6,
                                       kind=Transfer.Kind.PERMANENT)
    people.transfer_decide(actor=make_user(Role.AWW, world.awc6), transfer=transfer, accept=True,
                           deciding_awc=world.awc6)
    case.refresh_from_db()
    assert (case.is_open, case.awc_id, case.district_id, case.state_id) == (
        True, world.awc6.pk, world.district3.pk, world.state2.pk)
    moved = case.events.get(kind=rules.TRANSFERRED)
    assert moved.payload == {"from_awc": world.awc1.pk, "to_awc": world.awc6.pk} and moved.awc_id == world.awc6.pk


def test_take_home_ration_grows_while_a_case_is_open(measure, make_child, world, users):
    from beneficiaries.signals import under_treatment
    from thr_frs.entitlement import PACKETS_CHILD_6M_3Y, PACKETS_UNDER_TREATMENT
    from thr_frs.selectors import entitled_packets

    child = make_child(world.awc1, age_days=400)
    assert entitled_packets(child, TODAY) == PACKETS_CHILD_6M_3Y
    measure(child, on=days_ago(1), weight=7.0, muac=12.0)  # MAM
    assert under_treatment([child.pk], TODAY) == {child.pk}
    assert entitled_packets(child, TODAY) == PACKETS_UNDER_TREATMENT > PACKETS_CHILD_6M_3Y
    services.case_exit(actor=users.aww, case=Case.objects.get(), on=TODAY, outcome=rules.MOVED)
    assert entitled_packets(child, TODAY + timedelta(days=1)) == PACKETS_CHILD_6M_3Y
    assert under_treatment([], TODAY) == set()


def test_the_nightly_flagging_opens_missed_cases_and_marks_overdue_steps(measure, child, make_child, world):
    from growth.tasks import run_nightly

    sam(measure, child, n=5)  # opened at once; appetite test and danger signs now overdue
    Case.objects.update(overdue_steps="", next_step="")
    other = make_child(world.awc2, age_days=700)
    Measurement.objects.create(child=other, awc=world.awc2, district=world.district1, date=days_ago(1),
                               weight_kg=Decimal("7.0"), lenhei_cm=Decimal("80.0"), measure="l",
                               muac_cm=Decimal("11.2"), acute=2, wasting=2)  # an import: no case yet
    run_nightly.delay(TODAY.isoformat()).get()
    assert Case.objects.get(child=child).overdue_list == [rules.STEP_APPETITE_TEST, rules.STEP_COMPLICATIONS]
    assert Case.objects.get(child=other).category == rules.SAM
    run_nightly.delay(TODAY.isoformat()).get()  # a re-run changes nothing
    assert Case.objects.count() == 2 and CaseEvent.objects.count() == 2


def test_a_state_override_that_cannot_be_used_is_refused_with_its_reason(world):
    override = CaseRulesOverride(state=world.state1, overrides={"followup_days_sam": "weekly"})
    with pytest.raises(ValidationError) as caught:
        override.full_clean()
    assert "whole number" in str(caught.value.message_dict["overrides"])


def test_the_ration_register_and_hand_over_page_show_the_augmented_ration(measure, make_child, world):
    from thr_frs.entitlement import PACKETS_CHILD_6M_3Y, PACKETS_UNDER_TREATMENT
    from thr_frs.selectors.centre import handover_state, register_rows

    treated, other = make_child(world.awc1, age_days=400), make_child(world.awc1, age_days=420)
    for person in (treated, other):
        person.self_enrolled = person.owner_enrolled = False
    measure(treated, on=days_ago(1), weight=7.0, muac=12.0)  # MAM: a case opens
    rows = {row.beneficiary.pk: row.packets for row in register_rows([treated, other], month=TODAY.replace(day=1),
                                                                      on=TODAY)}
    assert rows == {treated.pk: PACKETS_UNDER_TREATMENT, other.pk: PACKETS_CHILD_6M_3Y}
    assert handover_state(treated, on=TODAY).packets == PACKETS_UNDER_TREATMENT


def test_buddy_mothers_weekly_visit_is_due_overdue_and_stops_when_the_case_closes(measure, child, users, world):
    from growth.cases import selectors

    with at(30):
        measure(child, on=days_ago(30), weight=9.5, muac=12.0)  # MAM: treated at the centre from today
    case = Case.objects.get()
    with pytest.raises(ValidationError):  # no buddy mother yet: nothing to visit, nothing written
        services.buddy_visit_record(actor=users.aww, case=case, on=days_ago(29))
    assert not case.events.filter(kind=rules.BUDDY_VISIT).exists()
    with at(28):
        services.buddy_mother_assign(actor=users.aww, case=case, on=days_ago(28), name="Sunita")
    with at(21):
        visit = services.buddy_visit_record(actor=users.aww, case=case, on=days_ago(21), note="ate well")
    assert AuditEvent.objects.filter(object_type="growth.caseevent", object_id=str(visit.pk)).exists()
    with at(14):
        case.refresh_from_db()
        assert rules.Due(rules.STEP_BUDDY_VISIT, days_ago(14)) in services.case_state(case).due
        assert rules.STEP_BUDDY_VISIT not in case.overdue_list
    with at(5):  # weighed on time: only the visit can be overdue
        services.followup_record(actor=users.aww, case=case, on=days_ago(5), weight_kg="9.7", muac_cm="12.1")
    # No visit since: the nightly refresh marks it overdue, two weeks missed, counted for the supervisor.
    services.cases_refresh()
    case.refresh_from_db()
    state = services.case_state(case)
    assert case.overdue_list == [rules.STEP_BUDDY_VISIT] and (state.buddy_visits, state.missed_buddy_visits) == (1, 2)
    assert selectors.overview(user=users.supervisor)["overdue"] == 1
    services.buddy_visit_record(actor=users.aww, case=case, on=TODAY)
    case.refresh_from_db()
    assert case.overdue_list == [] and selectors.overview(user=users.supervisor)["overdue"] == 0
    services.case_exit(actor=users.aww, case=case, on=TODAY, outcome=rules.MOVED)
    state = services.case_state(case, today=TODAY + timedelta(days=30))
    assert state.due == [] and state.overdue == []
    with pytest.raises(ValidationError):
        services.buddy_visit_record(actor=users.aww, case=case, on=TODAY)
