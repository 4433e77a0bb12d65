"""Pages of malnutrition management: the worker's list of children under treatment, the case page and its step
forms, the measurement result's next step, the supervisor's and the block's views."""
from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from growth.cases import rules
from growth.models import Case, CaseEvent
from poshan.core.models import AuditEvent
from tests.growth.conftest import TODAY, days_ago

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def sam_child(world, make_child, measure):
    child = make_child(world.awc1, age_days=730, name="Munni Samchild")
    measure(child, on=TODAY, weight=8.0, muac=11.0)
    return child


def test_the_result_page_tells_the_next_protocol_step(sam_child, users, login):
    measurement = sam_child.measurements.get()
    page = login(users.aww).get(reverse("growth:measurement", args=[measurement.pk])).content.decode()
    assert "treatment starts today" in page and "Do the appetite test" in page
    assert "refer to the health centre today" not in page
    case = Case.objects.get()
    assert reverse("growth:case", args=[case.pk]) in page


def test_worker_list_shows_what_is_due_today_for_her_centre_only(sam_child, world, make_child, measure, users,
                                                                 login, make_user):
    other = make_child(world.awc2, age_days=700, name="Pappu Othercentre")
    measure(other, on=TODAY, weight=8.0, muac=11.2)
    page = login(users.aww).get(reverse("growth:cases")).content.decode()
    assert "Munni Samchild" in page and "Pappu Othercentre" not in page
    assert "Do the appetite test" in page and "due today" in page
    assert AuditEvent.objects.filter(actor=users.aww, action=AuditEvent.Action.VIEW).exists()
    supervisor_page = login(users.supervisor).get(reverse("growth:cases")).content.decode()
    assert "Munni Samchild" in supervisor_page and "Pappu Othercentre" in supervisor_page


def test_case_page_steps_and_a_refused_step(sam_child, users, login, world, make_child, measure):
    case = Case.objects.get()
    client = login(users.aww)
    page = client.get(reverse("growth:case", args=[case.pk])).content.decode()
    assert "Munni Samchild" in page and "Identified" in page
    url = reverse("growth:case_step", args=[case.pk, "appetite"])
    form = client.get(url).content.decode()
    assert "Appetite test" in form
    refused = client.post(url, {"client_uuid": "6f1c2c6e-4a76-4d3b-9a3e-1d1c1e1f0a01", "date": TODAY.isoformat(),
                                "result": rules.NOT_DONE, "reason": ""})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    done = client.post(url, {"client_uuid": "6f1c2c6e-4a76-4d3b-9a3e-1d1c1e1f0a02", "date": TODAY.isoformat(),
                             "result": rules.PASSED})
    assert done.status_code == 302
    client.post(reverse("growth:case_step", args=[case.pk, "complications"]),
                {"client_uuid": "6f1c2c6e-4a76-4d3b-9a3e-1d1c1e1f0a03", "date": TODAY.isoformat()})
    case.refresh_from_db()
    assert (case.status, case.next_step) == (rules.IN_TREATMENT, rules.STEP_SCREENING)
    assert client.get(reverse("growth:case_step", args=[case.pk, "nonsense"])).status_code == 404
    # Another centre's case is not found; the helper may read but not record.
    far = make_child(world.awc6, age_days=700)
    measure(far, on=TODAY, weight=8.0, muac=11.0)
    far_case = Case.objects.get(child=far)
    assert client.get(reverse("growth:case", args=[far_case.pk])).status_code == 404
    assert login(users.awh).get(reverse("growth:case", args=[case.pk])).status_code == 200
    assert login(users.awh).get(url).status_code == 403


def test_follow_up_form_records_a_measurement_and_the_case_moves_on(sam_child, users, login):
    case = Case.objects.get()
    client = login(users.aww)
    response = client.post(reverse("growth:case_step", args=[case.pk, "follow-up"]), {
        "client_uuid": "6f1c2c6e-4a76-4d3b-9a3e-1d1c1e1f0a04", "date": TODAY.isoformat(), "weight_kg": "8.10",
        "muac_cm": "11.6", "oedema": "no", "appetite": rules.FAILED, "illness": "cough"})
    assert response.status_code == 302
    event = CaseEvent.objects.get(kind=rules.FOLLOWUP)
    assert event.payload["appetite"] == rules.FAILED and event.payload["illness"] == "cough"
    page = client.get(reverse("growth:case", args=[case.pk])).content.decode()
    assert "Refer to the NRC" in page


def test_block_officers_see_counts_and_no_names(world, make_child, measure, users, login):
    measure(make_child(world.awc1, age_days=730, name="Munni Samchild"), on=days_ago(2), weight=8.0, muac=11.0)
    case = Case.objects.get()  # the appetite test is overdue
    page = login(users.cdpo).get(reverse("growth:cases")).content.decode()
    assert "Munni Samchild" not in page and "Open cases" in page
    assert str(case.child.pseudonym)[:8] in page
    assert login(users.cdpo).get(reverse("growth:case", args=[case.pk])).status_code == 403


def test_supervisor_sees_the_ten_day_sam_alert(world, make_child, measure, users, login):
    from growth.cases import services

    child = make_child(world.awc1, age_days=730, name="Raju Alertchild")
    measure(child, on=days_ago(12), weight=8.0, muac=11.0)
    case = Case.objects.get()
    services.appetite_test_record(actor=users.aww, case=case, on=days_ago(12), result=rules.PASSED)
    services.complications_record(actor=users.aww, case=case, on=days_ago(12), signs=[])
    case.refresh_from_db()
    assert case.sam_no_followup_alert
    page = login(users.supervisor).get(reverse("growth:cases") + "?show=alerts").content.decode()
    assert "Raju Alertchild" in page and "no follow-up for 10 days" in page


def test_lists_take_a_fixed_number_of_queries(world, make_child, measure, users, login,
                                              django_assert_max_num_queries):
    for n in range(12):
        measure(make_child(world.awc1, age_days=700 + n), on=TODAY, weight=8.0, muac=11.0)
    client = login(users.aww)
    with django_assert_max_num_queries(16):
        client.get(reverse("growth:cases"))
    supervisor = login(users.supervisor)
    with django_assert_max_num_queries(16):
        supervisor.get(reverse("growth:cases") + "?show=overdue")


def test_indicators_page_and_the_pseudonymous_export(world, make_child, measure, users, login):
    from growth.cases import services

    child = make_child(world.awc1, age_days=730, name="Munni Samchild")
    measure(child, on=days_ago(20), weight=9.0, muac=12.0)  # MAM
    case = Case.objects.get()
    services.case_exit(actor=users.aww, case=case, on=days_ago(3), outcome=rules.DIED)
    page = login(users.dpo).get(reverse("growth:case_indicators")).content.decode()
    assert "Admissions" in page and "100.0 %" in page  # one exit, a death: outside Sphere's band
    response = login(users.dpo).get(reverse("growth:case_export"))
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("case_id,child_pseudonym")
    assert str(child.pseudonym) in body and "Munni" not in body and ",died," in body
    assert AuditEvent.objects.filter(actor=users.dpo, action=AuditEvent.Action.EXPORT).count() == 1
    assert login(users.cdpo).get(reverse("growth:case_export")).status_code == 403
    assert login(users.dpo).get(reverse("growth:case_indicators") + "?from=2026-13").status_code == 400


def test_the_indicators_period_runs_by_default_from_six_months_back_to_today(users, login):
    response = login(users.dpo).get(reverse("growth:case_indicators"))
    assert (response.context["start"], response.context["end"]) == (date(2026, 5, 1), TODAY)
    response = login(users.dpo).get(reverse("growth:case_indicators") + "?from=2025-12&to=2026-02")
    assert (response.context["start"], response.context["end"]) == (date(2025, 12, 1), date(2026, 2, 28))


def test_the_supervisors_own_list_carries_the_ten_day_sam_alert(world, make_child, measure, users, login):
    from growth.cases import services

    child = make_child(world.awc1, age_days=730, name="Raju Alertchild")
    measure(child, on=days_ago(12), weight=8.0, muac=11.0)
    case = Case.objects.get()
    services.appetite_test_record(actor=users.aww, case=case, on=days_ago(12), result=rules.PASSED)
    services.complications_record(actor=users.aww, case=case, on=days_ago(12), signs=[])
    page = login(users.supervisor).get(reverse("growth:cases")).content.decode()  # her landing list
    assert "1 SAM child has had no follow-up for 10 days." in page
    assert reverse("growth:cases") + "?show=alerts" in page
    quiet = make_child(world.awc3, age_days=730)
    measure(quiet, on=TODAY, weight=8.0, muac=11.0)
    other_sector = login(users.cdpo).get(reverse("growth:cases")).content.decode()
    assert "1 SAM child has had no follow-up for 10 days." in other_sector  # the CDPO's project holds both


def test_case_page_draws_the_weight_line_with_the_gain_between_weighings(world, make_child, measure, users,
                                                                         login):
    from decimal import Decimal

    from growth.cases import services

    child = make_child(world.awc1, age_days=730, name="Munni Samchild")
    measure(child, on=days_ago(14), weight=8.0, muac=11.0)
    case = Case.objects.get()
    services.followup_record(actor=users.aww, case=case, on=days_ago(7), weight_kg=Decimal("8.40"),
                             muac_cm=Decimal("11.2"), appetite=rules.PASSED)
    services.followup_record(actor=users.aww, case=case, on=TODAY, weight_kg=Decimal("8.40"),
                             muac_cm=Decimal("11.3"), appetite=rules.PASSED)
    page = login(users.aww).get(reverse("growth:case", args=[case.pk])).content.decode()
    assert "<polyline" in page and page.count("<circle") == 3
    assert '<span class="badge ok">7.1 g/kg/day</span>' in page  # 400 g / 8.0 kg / 7 days
    assert '<span class="badge bad">0.0 g/kg/day</span>' in page  # no gain in the last week


def test_the_home_page_tells_the_supervisor_of_sam_children_without_follow_up(world, make_child, measure, users,
                                                                             login, make_user):
    from growth.cases import services

    child = make_child(world.awc1, age_days=730, name="Raju Alertchild")
    measure(child, on=days_ago(12), weight=8.0, muac=11.0)
    case = Case.objects.get()
    services.appetite_test_record(actor=users.aww, case=case, on=days_ago(12), result=rules.PASSED)
    services.complications_record(actor=users.aww, case=case, on=days_ago(12), signs=[])
    told = "1 SAM child has had no follow-up for 10 days."
    for user in (users.supervisor, users.cdpo, users.dpo):
        assert told in login(user).get(reverse("home")).content.decode(), user.role
    assert told not in login(make_user("supervisor", world.sector2)).get(reverse("home")).content.decode()
    assert told not in login(users.aww).get(reverse("home")).content.decode()  # her list says what is due


def test_the_buddy_mothers_weekly_visit_shows_on_the_case_page_and_is_recorded_there(sam_child, users, login):
    from growth.cases import services

    case = Case.objects.get()
    services.appetite_test_record(actor=users.aww, case=case, on=TODAY, result=rules.PASSED)
    services.complications_record(actor=users.aww, case=case, on=TODAY, signs=[])
    services.buddy_mother_assign(actor=users.aww, case=case, on=TODAY, name="Sunita")
    client = login(users.aww)
    page = client.get(reverse("growth:case", args=[case.pk])).content.decode()
    url = reverse("growth:case_step", args=[case.pk, "buddy-visit"])
    assert "Buddy mother&#x27;s weekly visit" in page and url in page
    done = client.post(url, {"client_uuid": "6f1c2c6e-4a76-4d3b-9a3e-1d1c1e1f0b01", "date": TODAY.isoformat(),
                             "note": "the child ate all the ration"})
    assert done.status_code == 302
    event = CaseEvent.objects.get(kind=rules.BUDDY_VISIT)
    assert event.payload == {"note": "the child ate all the ration"} and event.actor == users.aww
    page = client.get(reverse("growth:case", args=[case.pk])).content.decode()
    assert "Buddy mother&#x27;s visit" in page and "the child ate all the ration" in page
