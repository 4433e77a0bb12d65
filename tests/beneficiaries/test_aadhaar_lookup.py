"""Looking a person up by Aadhaar: a worker learns only that her request was sent; the holding centre decides.

Every look-up (a pull by Aadhaar, the duplicate check at registration) is audited and rate-limited, and a
pending pull never locks the person: the holding centre's own moves and exit still work, and the pull lapses.
"""
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from beneficiaries import services
from beneficiaries.models import Beneficiary, Transfer
from beneficiaries.services import lookups
from poshan.core.models import AuditEvent
from poshan.core.roles import Role
from tests.factories import make_household, make_person, valid_aadhaar

TODAY = date(2026, 11, 27)
SAVITA_AADHAAR = valid_aadhaar(11)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    monkeypatch.setattr(lookups, "current_window", lambda: 1)  # every look-up of a test in the same hour


@pytest.fixture
def savita(world, users):
    household = make_household(world.awc1, actor=users.aww)
    return make_person(household, actor=users.aww, name="Savita Devi", dob=date(1997, 2, 2), aadhaar=SAVITA_AADHAAR)


@pytest.fixture
def far_worker(world, make_user):
    """The AWW of a centre in another state."""
    return make_user(Role.AWW, world.awc6)


def _pull_api(client, aadhaar=SAVITA_AADHAAR):
    return client.post("/api/v1/transfers/pull/", {"aadhaar": aadhaar, "kind": "permanent"},
                       content_type="application/json")


def _lookups_by(user) -> list[AuditEvent]:
    return [e for e in AuditEvent.objects.filter(actor=user, action="view").order_by("id")
            if "aadhaar_lookup" in e.fields]


def _leaks(text: str, world, person) -> list[str]:
    return [s for s in (person.name, world.awc1.name, f"({world.awc1.code})", f"\"from_awc\":{world.awc1.pk}")
            if s in text]


def test_pull_by_api_answers_only_that_a_request_was_sent(world, savita, far_worker, login):
    client = login(far_worker)
    response = _pull_api(client)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "requested" and body["beneficiary"] is None and body["from_awc"] is None
    assert body["beneficiary_name"] == ""
    listed = client.get("/api/v1/transfers/").content.decode()
    detail = client.get(f"/api/v1/transfers/{body['id']}/").content.decode()
    assert _leaks(response.content.decode() + listed + detail, world, savita) == []


def test_pull_through_the_page_shows_the_request_without_the_person(world, savita, far_worker, login):
    client = login(far_worker)
    response = client.post(reverse("beneficiaries:transfers"), {"aadhaar": SAVITA_AADHAAR, "kind": "permanent"},
                           follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and Transfer.objects.filter(to_awc=world.awc6, pulled=True).count() == 1
    assert _leaks(page, world, savita) == []
    assert f"XXXX XXXX {SAVITA_AADHAAR[-4:]}" in page  # the number she typed, masked, to tell her requests apart


def test_holding_centre_sees_who_asks_and_its_yes_reveals_the_person(world, users, savita, far_worker, login):
    transfer_id = _pull_api(login(far_worker)).json()["id"]
    holder = login(users.aww)
    page = holder.get(reverse("beneficiaries:transfers")).content.decode()
    assert "Savita Devi" in page and world.awc6.name in page
    assert holder.post(reverse("beneficiaries:transfer_action", args=[transfer_id, "accept"])).status_code == 302
    requester = login(far_worker)
    assert "Savita Devi" in requester.get(reverse("beneficiaries:transfers")).content.decode()
    assert requester.get(f"/api/v1/transfers/{transfer_id}/").json()["beneficiary_name"] == "Savita Devi"
    savita.refresh_from_db()
    assert savita.awc == world.awc6


def test_the_requester_cannot_answer_her_own_pull(world, savita, far_worker, login):
    client = login(far_worker)
    transfer_id = _pull_api(client).json()["id"]
    assert client.post(f"/api/v1/transfers/{transfer_id}/accept/").status_code == 400
    assert Transfer.objects.get(pk=transfer_id).status == Transfer.Status.REQUESTED


def test_every_pull_look_up_is_audited_found_or_not(world, savita, far_worker, login):
    client = login(far_worker)
    _pull_api(client)
    _pull_api(client, aadhaar=valid_aadhaar(12))  # nobody has this one
    looked = _lookups_by(far_worker)
    assert len(looked) == 2
    assert [(e.object_type, e.awc_id) for e in looked if e.object_id == str(savita.pk)] == [
        ("beneficiaries.beneficiary", world.awc1.pk)]


def test_pull_look_ups_are_rate_limited(world, savita, far_worker, login):
    client = login(far_worker)
    for seed in range(lookups.AADHAAR_LOOKUPS_PER_HOUR):
        assert _pull_api(client, aadhaar=valid_aadhaar(100 + seed)).status_code == 400  # nobody registered
    refused = _pull_api(client)
    assert refused.status_code == 400
    assert "try again" in refused.content.decode()
    assert not Transfer.objects.filter(beneficiary=savita).exists()


def test_page_pull_is_rate_limited_too(world, savita, far_worker, login):
    client = login(far_worker)
    for seed in range(lookups.AADHAAR_LOOKUPS_PER_HOUR):
        client.post(reverse("beneficiaries:transfers"), {"aadhaar": valid_aadhaar(100 + seed), "kind": "permanent"})
    refused = client.post(reverse("beneficiaries:transfers"), {"aadhaar": SAVITA_AADHAAR, "kind": "permanent"})
    assert refused.status_code == 400 and "try again" in refused.content.decode()
    assert not Transfer.objects.filter(beneficiary=savita).exists()


def test_a_pending_pull_does_not_stop_the_holding_centre_moving_the_person(world, users, savita, far_worker,
                                                                             make_user, login):
    pull_id = _pull_api(login(far_worker)).json()["id"]
    push = services.transfer_request(actor=users.aww, beneficiary=savita, to_awc=world.awc3, kind="permanent")
    services.transfer_decide(actor=make_user(Role.AWW, world.awc3), transfer=push, accept=True,
                             deciding_awc=world.awc3)
    savita.refresh_from_db()
    assert savita.awc == world.awc3
    assert Transfer.objects.get(pk=pull_id).status == Transfer.Status.LAPSED
    assert _leaks(login(far_worker).get(reverse("beneficiaries:transfers")).content.decode(), world, savita) == []


def test_a_pending_pull_lapses_when_the_person_leaves(world, users, savita, far_worker, login):
    pull_id = _pull_api(login(far_worker)).json()["id"]
    services.beneficiary_exit(actor=users.aww, beneficiary=savita, reason=Beneficiary.ExitReason.MOVED_AWAY)
    assert Transfer.objects.get(pk=pull_id).status == Transfer.Status.LAPSED


def test_two_centres_may_ask_for_the_same_person(world, savita, far_worker, make_user, login):
    assert _pull_api(login(far_worker)).status_code == 201
    assert _pull_api(login(make_user(Role.AWW, world.awc3))).status_code == 201
    assert _pull_api(login(far_worker)).status_code == 400  # the same centre twice: one request is enough


def _register(client, household, aadhaar):
    return client.post(reverse("beneficiaries:new"), {
        "household": household.pk, "name": "Copy", "sex": "F", "dob": "2024-05-05", "enrol_as": "child",
        "relation_to_head": "daughter", "aadhaar": aadhaar, "consent_purposes": ["services", "aadhaar"],
        "consent_given_by": "Parent",
    })


def _register_api(client, household, aadhaar):
    return client.post("/api/v1/beneficiaries/", {
        "household": household.pk, "name": "Copy", "sex": "F", "dob": "2024-05-05", "enrol_as": "child",
        "aadhaar": aadhaar, "consent": {"given_by": "Parent", "purposes": ["services", "aadhaar"]},
    }, content_type="application/json")


def test_duplicate_aadhaar_at_registration_names_no_other_centre_and_is_audited(world, savita, far_worker, login):
    household = make_household(world.awc6, actor=far_worker)
    client = login(far_worker)
    page = _register(client, household, SAVITA_AADHAAR)
    api = _register_api(client, household, SAVITA_AADHAAR)
    assert page.status_code == 400 and api.status_code == 400
    assert "another centre" in api.json()["aadhaar"][0]
    assert _leaks(page.content.decode() + api.content.decode(), world, savita) == []
    assert [e.object_id for e in _lookups_by(far_worker)] == [str(savita.pk)] * 2


def test_duplicate_aadhaar_at_her_own_centre_is_named(world, users, savita, login):
    response = _register_api(login(users.aww), make_household(world.awc1, actor=users.aww), SAVITA_AADHAAR)
    assert response.status_code == 400 and str(world.awc1.code) in response.json()["aadhaar"][0]


def test_duplicate_checks_at_registration_are_rate_limited(world, savita, far_worker, login):
    household = make_household(world.awc6, actor=far_worker)
    client = login(far_worker)
    for _ in range(lookups.AADHAAR_LOOKUPS_PER_HOUR):
        assert "another centre" in _register_api(client, household, SAVITA_AADHAAR).content.decode()
    refused = _register_api(client, household, valid_aadhaar(77))  # a free number, but the hour's look-ups are spent
    assert refused.status_code == 400 and "try again" in refused.content.decode()
    assert not Beneficiary.objects.filter(name="Copy").exists()
    assert _register_api(client, household, "").status_code == 201  # registering without Aadhaar still works


def test_giving_a_registered_number_to_a_person_by_api_edit_is_audited_and_names_no_centre(world, savita,
                                                                                          far_worker, login):
    person = make_person(make_household(world.awc6, actor=far_worker), actor=far_worker, name="Meena",
                         dob=date(1990, 1, 1))
    response = login(far_worker).patch(f"/api/v1/beneficiaries/{person.pk}/", {
        "aadhaar": SAVITA_AADHAAR, "consent": {"given_by": "Meena", "purposes": ["services", "aadhaar"]},
    }, content_type="application/json")
    assert response.status_code == 400 and "another centre" in response.json()["aadhaar"][0]
    assert _leaks(response.content.decode(), world, savita) == []
    assert [e.object_id for e in _lookups_by(far_worker)] == [str(savita.pk)]
