"""Pages: each one in scope and out of scope, names only for the centre and its supervisor,
the phone form with its result, and list pages with a bounded number of queries."""
from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from growth.models import FlaggingRun, FollowUp, Measurement
from growth.tasks import run_nightly
from poshan.core.models import AuditEvent
from poshan.core.roles import Role
from tests.growth.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_today")

NOV = date(2026, 11, 12)


@pytest.fixture
def kids(world, make_child, measure):
    """Asha at awc1 (stunted, flagged), Bela at awc2 (same sector), Chitra at awc3 (other sector)."""
    dob = date(2025, 5, 1)
    made = {name: make_child(awc, dob=dob, name=name)
            for name, awc in (("Asha", world.awc1), ("Bela", world.awc2), ("Chitra", world.awc3))}
    for child in made.values():
        measure(child, on=NOV, weight=8.8, lenhei=73.0)
    run_nightly.delay(TODAY.isoformat()).get()
    return made


def page(client, name, *args, **params) -> tuple[int, str]:
    response = client.get(reverse(f"growth:{name}", args=args), params)
    return response.status_code, response.content.decode()


# --- children list and growth chart ----------------------------------------------------------------

def test_worker_lists_only_her_centres_children(kids, users, login):
    status, body = page(login(users.aww), "children")
    assert status == 200
    assert "Asha" in body and "Bela" not in body and "Chitra" not in body


def test_supervisor_lists_her_sectors_children_only(kids, users, login):
    status, body = page(login(users.supervisor), "children")
    assert "Asha" in body and "Bela" in body and "Chitra" not in body


def test_children_list_queries_are_bounded(world, make_child, measure, users, login, django_assert_max_num_queries):
    for i in range(12):
        measure(make_child(world.awc1, age_days=300 + i), on=NOV, weight=8.0)
    client = login(users.aww)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("growth:children")).status_code == 200


def test_growth_chart_of_own_child_shows_curves_and_is_audited(kids, users, login):
    child = kids["Asha"]
    status, body = page(login(users.aww), "child", child.pk)
    assert status == 200
    assert body.count("<polyline") == 10  # five SD curves on each of the two charts
    assert "<title id=\"wfa-title\">Weight-for-age, girls" in body and "<desc id=\"lhfa-desc\">" in body
    assert AuditEvent.objects.filter(action="view", object_type="beneficiaries.beneficiary",
                                     object_id=str(child.pk)).exists()


def test_growth_chart_of_another_centres_child_is_not_found(kids, users, login):
    assert page(login(users.aww), "child", kids["Bela"].pk)[0] == 404


def test_supervisor_sees_the_chart_of_a_sector_child(kids, users, login):
    assert page(login(users.supervisor), "child", kids["Bela"].pk)[0] == 200


def test_supervisor_does_not_see_another_sectors_chart(kids, users, login):
    assert page(login(users.supervisor), "child", kids["Chitra"].pk)[0] == 404


@pytest.mark.parametrize("role", [Role.CDPO, Role.DPO, Role.STATE, Role.MINISTRY])
def test_block_and_above_get_no_growth_chart(kids, users, login, role):
    assert page(login(getattr(users, role)), "child", kids["Asha"].pk)[0] == 403


# --- the phone form --------------------------------------------------------------------------------

def test_form_shows_the_last_measurement(kids, users, login):
    status, body = page(login(users.aww), "measure", kids["Asha"].pk)
    assert status == 200
    assert "12 Nov 2026: 8.80 kg, 73.0 cm" in body and "stunted" in body


def test_saving_shows_the_plain_language_result(kids, users, login):
    client = login(users.aww)
    form = {"client_uuid": "6f1c8f8e-8d59-4b52-9a4e-0d1c6c2f0a11", "date": TODAY.isoformat(), "weight_kg": "9.0",
            "lenhei_cm": "73.5", "measure": "l", "muac_cm": "", "oedema": "no"}
    response = client.post(reverse("growth:measure", args=[kids["Asha"].pk]), form, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Weight normal; height moderately low for age — stunted" in body


def test_bad_weight_is_shown_on_the_form(kids, users, login):
    client = login(users.aww)
    form = {"client_uuid": "6f1c8f8e-8d59-4b52-9a4e-0d1c6c2f0a12", "date": TODAY.isoformat(), "weight_kg": "80",
            "lenhei_cm": "", "measure": "", "muac_cm": "", "oedema": "no"}
    response = client.post(reverse("growth:measure", args=[kids["Asha"].pk]), form)
    assert response.status_code == 400
    assert "80 kg is not possible" in response.content.decode()
    assert Measurement.objects.filter(child=kids["Asha"]).count() == 1


def test_form_for_another_centres_child_is_not_found(kids, users, login):
    assert page(login(users.aww), "measure", kids["Bela"].pk)[0] == 404


def test_helper_cannot_record(kids, users, login):
    assert page(login(users.awh), "measure", kids["Asha"].pk)[0] == 403


def test_result_page_in_and_out_of_scope(kids, users, login):
    own = kids["Asha"].measurements.get()
    other = kids["Bela"].measurements.get()
    client = login(users.aww)
    assert page(client, "measurement", own.pk)[0] == 200
    assert page(client, "measurement", other.pk)[0] == 404


# --- the follow-up list ----------------------------------------------------------------------------

def test_supervisor_follow_up_list_has_her_sectors_children_with_reasons(kids, users, login):
    status, body = page(login(users.supervisor), "followups")
    assert status == 200
    assert "Asha" in body and "Bela" in body and "Chitra" not in body
    assert "Newly stunted" in body


def test_follow_up_list_in_hindi_names_each_action(kids, users, login):
    client = login(users.supervisor)
    client.cookies["django_language"] = "hi"
    body = client.get(reverse("growth:followups")).content.decode()
    buttons, notes = body.count(">फॉलो-अप हो गया</button>"), body.count('placeholder="क्या किया गया"')
    shown = FollowUp.objects.filter(resolved_at__isnull=True, child__awc__sector_id=kids["Asha"].awc.sector_id)
    assert buttons == notes == shown.count() >= 2


def test_worker_follow_up_list_has_her_centres_children_only(kids, users, login):
    status, body = page(login(users.aww), "followups")
    assert "Asha" in body and "Bela" not in body


def test_follow_up_list_queries_are_bounded(world, make_child, users, login, django_assert_max_num_queries):
    for i in range(15):
        child = make_child(world.awc1, age_days=400 + i)
        for reason in ("stunted", "faltering"):
            FollowUp.objects.create(child=child, awc=world.awc1, reason=reason, month=TODAY.replace(day=1),
                                    flagged_on=TODAY)
    client = login(users.supervisor)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("growth:followups")).status_code == 200


def test_follow_up_list_looks_for_open_follow_ups_once(world, make_child, users, login):
    """The filter (every child of the sector probed for an open follow-up) is the page's cost: run it once, not
    once to count and again to read the page."""
    for i in range(30):
        FollowUp.objects.create(child=make_child(world.awc1, age_days=400 + i, name=f"Child {i:02}"), awc=world.awc1,
                                reason="stunted", month=TODAY.replace(day=1), flagged_on=TODAY)
    client = login(users.supervisor)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("growth:followups")).content.decode()
    probes = [q["sql"] for q in queries if "EXISTS" in q["sql"] and '"growth_followup"' in q["sql"]]
    over_the_sector = [sql for sql in probes if '"beneficiaries_beneficiary"."id" IN (' not in sql]
    assert len(over_the_sector) == 1, probes  # the page's 25 rows are then read by key
    second = client.get(reverse("growth:followups"), {"page": 2}).content.decode()
    assert "Child 00" in first and "Child 24" in first and "Child 25" not in first
    assert "Child 25" in second and "Child 29" in second and "Child 00" not in second


@pytest.mark.parametrize("role", [Role.CDPO, Role.DPO, Role.STATE, Role.MINISTRY])
def test_block_and_above_see_counts_without_names(kids, users, login, role):
    status, body = page(login(getattr(users, role)), "followups")
    assert status == 200
    assert "Asha" not in body and "Bela" not in body
    assert "Newly stunted" in body


def test_cdpo_counts_hold_only_her_project(kids, world, users, login, make_child):
    other = make_child(world.awc4, name="Devi")
    FollowUp.objects.create(child=other, awc=world.awc4, reason="sam", month=TODAY.replace(day=1), flagged_on=TODAY)
    status, body = page(login(users.cdpo), "followups")
    assert world.sector1.name in body and world.sector3.name not in body


def test_cdpo_cannot_drill_into_another_project(kids, world, users, login):
    assert page(login(users.cdpo), "followups", location=world.project2.pk)[0] == 404


def test_supervisor_marks_followed_up(kids, users, login):
    followup = FollowUp.objects.get(child=kids["Bela"])
    response = login(users.supervisor).post(reverse("growth:followup_resolve", args=[followup.pk]),
                                            {"note": "Home visit done"})
    followup.refresh_from_db()
    assert response.status_code == 302
    assert (followup.resolution, followup.note) == ("followed_up", "Home visit done")
    assert AuditEvent.objects.filter(object_type="growth.followup", object_id=str(followup.pk)).exists()


def test_worker_cannot_close_another_centres_follow_up(kids, users, login):
    followup = FollowUp.objects.get(child=kids["Bela"])
    response = login(users.aww).post(reverse("growth:followup_resolve", args=[followup.pk]), {"note": "x"})
    followup.refresh_from_db()
    assert response.status_code == 404 and followup.resolved_at is None


def test_cdpo_cannot_close_follow_ups(kids, users, login):
    followup = FollowUp.objects.get(child=kids["Asha"])
    assert login(users.cdpo).post(reverse("growth:followup_resolve", args=[followup.pk])).status_code == 403


def test_helpline_has_no_follow_up_page(kids, users, login):
    assert page(login(users.helpline), "followups")[0] == 403


# --- rising cases and runs -------------------------------------------------------------------------

def test_rising_cases_lists_places_in_own_area_only(kids, world, users, login):
    status, body = page(login(users.cdpo), "rising", level="awc")
    assert status == 200
    assert world.awc1.name in body and world.awc3.name in body and world.awc4.name not in body


def test_rising_cases_for_a_supervisor_default_to_her_centres(kids, world, users, login):
    status, body = page(login(users.supervisor), "rising")
    assert world.awc1.name in body and world.awc2.name in body and world.awc3.name not in body


def test_rising_cases_refuse_a_level_above_the_user(kids, users, login):
    status, body = page(login(users.supervisor), "rising", level="project")
    assert status == 400 and "Select a valid choice" in body  # shown with the reason, answered as a bad request


def test_runs_page_shows_counts_for_the_ministry(kids, users, login):
    status, body = page(login(users.ministry), "runs")
    run = FlaggingRun.objects.get()
    assert status == 200
    assert "Done" in body and f">{run.children}<" in body


def test_runs_page_is_not_for_workers(kids, users, login):
    assert page(login(users.aww), "runs")[0] == 403


def test_home_shows_growth_tiles_by_role(kids, users, login):
    aww_home = login(users.aww).get(reverse("home")).content.decode()
    cdpo_home = login(users.cdpo).get(reverse("home")).content.decode()
    def tile(name: str) -> str:
        return f'href="{reverse(name)}"'

    assert tile("growth:children") in aww_home and tile("growth:followups") in aww_home
    assert tile("growth:children") not in cdpo_home and tile("growth:rising") in cdpo_home
