"""Additional charge: the CDPO's grant (rules, overlaps, audit), the scoping it opens from the first day to the
last inclusive, the worker's choice of centre, and the nightly tidy-up that correctness does not depend on."""
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anganwadi.charge.models import HOLD_CHARGE_PERM, AdditionalCharge
from anganwadi.charge.services import (
    centre_choose,
    charge_grant,
    charge_revoke,
    charges_expire,
)
from anganwadi.selectors import (
    awcs_visible_to,
    locations_visible_to,
    own_awc,
    scope_q,
    user_awc,
    working_centres,
)
from anganwadi.tasks import charges_expire_nightly
from beneficiaries.models import Beneficiary
from poshan.core.models import AuditEvent
from tests.factories import make_household, make_person

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 04:00:00+00:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def neighbour(make_user, world):
    """The worker of awc2, awc1's neighbour in the same sector."""
    return make_user("aww", world.awc2)


def grant(users, holder, place, *, start=TODAY, end=TODAY + timedelta(days=9), reason="Worker on maternity leave"):
    return charge_grant(actor=users.cdpo, holder=holder, location=place, start=start, end=end, reason=reason)


def fresh(user):
    """The same user as a new request sees her (nothing kept on the object)."""
    return type(user).objects.get(pk=user.pk)


def test_a_grant_opens_the_centre_with_a_guardian_permission_and_is_audited(users, world, neighbour):
    charge = grant(users, neighbour, world.awc1)
    holder = fresh(neighbour)
    assert holder.has_perm(HOLD_CHARGE_PERM, world.awc1)
    assert set(awcs_visible_to(holder)) == {world.awc1, world.awc2}
    assert AuditEvent.objects.filter(action="create", object_type="anganwadi.additionalcharge",
                                     object_id=str(charge.pk), actor=users.cdpo, awc_id=world.awc1.pk).exists()


def test_the_holder_sees_both_centres_and_nothing_else(users, world, neighbour):
    here, there, far = (make_person(make_household(awc), name=f"P{awc.pk}", sex="F", age_years=30)
                        for awc in (world.awc1, world.awc2, world.awc3))
    grant(users, neighbour, world.awc1)
    seen = set(Beneficiary.objects.filter(scope_q(fresh(neighbour))))
    assert {here, there} <= seen and far not in seen
    assert world.awc3 not in locations_visible_to(fresh(neighbour))


def test_access_lasts_the_last_day_and_ends_the_day_after_without_any_job(users, world, neighbour, frozen):
    grant(users, neighbour, world.awc1, end=TODAY + timedelta(days=2))
    frozen.move_to("2026-11-29 18:29:00+00:00")  # 23:59 IST on the last day
    assert world.awc1 in awcs_visible_to(fresh(neighbour))
    frozen.move_to("2026-11-29 18:31:00+00:00")  # 00:01 IST the day after: nothing has run
    assert set(awcs_visible_to(fresh(neighbour))) == {world.awc2}
    assert fresh(neighbour).has_perm(HOLD_CHARGE_PERM, world.awc1)  # the permission is still there, unused


def test_a_grant_from_a_later_day_opens_nothing_before_it(users, world, neighbour, frozen):
    grant(users, neighbour, world.awc1, start=TODAY + timedelta(days=3), end=TODAY + timedelta(days=5))
    assert world.awc1 not in awcs_visible_to(fresh(neighbour))
    frozen.move_to("2026-11-30 04:00:00+00:00")
    assert world.awc1 in awcs_visible_to(fresh(neighbour))


def test_a_supervisor_holds_a_vacant_sector(users, world, make_user):
    supervisor2 = make_user("supervisor", world.sector2)
    grant(users, supervisor2, world.sector1)
    assert set(awcs_visible_to(fresh(supervisor2))) == {world.awc1, world.awc2, world.awc3}


@pytest.mark.parametrize("case", ["outside the project", "a worker for a sector", "her own centre",
                                  "a day gone", "longer than a year", "an officer"])
def test_grants_outside_the_rules_are_refused(users, world, neighbour, make_user, case):
    kwargs = {"holder": neighbour, "place": world.awc1}
    if case == "outside the project":
        kwargs["place"] = world.awc4
    elif case == "a worker for a sector":
        kwargs["place"] = world.sector2
    elif case == "her own centre":
        kwargs["place"] = world.awc2
    elif case == "a day gone":
        kwargs["start"] = TODAY - timedelta(days=1)
    elif case == "longer than a year":
        kwargs["end"] = TODAY + timedelta(days=400)
    elif case == "an officer":
        kwargs["holder"] = users.cdpo
    with pytest.raises(ValidationError):
        grant(users, kwargs.pop("holder"), kwargs.pop("place"), **kwargs)
    assert not AdditionalCharge.objects.exists()


def test_a_worker_of_another_project_cannot_be_given_charge(users, world, make_user):
    far_worker = make_user("aww", world.awc4)  # project2
    with pytest.raises(ValidationError):
        grant(users, far_worker, world.awc1)


def test_only_a_cdpo_grants(users, world, neighbour):
    with pytest.raises(PermissionDenied):
        charge_grant(actor=users.supervisor, holder=neighbour, location=world.awc1, start=TODAY, end=TODAY,
                     reason="x")


def test_an_overlapping_grant_is_refused_with_who_holds_it(users, world, neighbour, make_user):
    grant(users, neighbour, world.awc1, end=TODAY + timedelta(days=9))
    other = make_user("aww", world.awc3)
    with pytest.raises(ValidationError) as refused:
        grant(users, other, world.awc1, start=TODAY + timedelta(days=9), end=TODAY + timedelta(days=20))
    assert "already held" in str(refused.value) and "06-12-2026" in str(refused.value)
    grant(users, other, world.awc1, start=TODAY + timedelta(days=10), end=TODAY + timedelta(days=20))  # after: fine


def test_revoking_ends_access_at_once_and_takes_the_permission(users, world, neighbour):
    charge = grant(users, neighbour, world.awc1)
    assert world.awc1 in awcs_visible_to(fresh(neighbour))
    charge_revoke(actor=users.cdpo, charge=charge)
    holder = fresh(neighbour)
    assert world.awc1 not in awcs_visible_to(holder)
    assert not holder.has_perm(HOLD_CHARGE_PERM, world.awc1)
    assert AuditEvent.objects.filter(object_id=str(charge.pk), action="update", fields=["revoked_at"]).exists()


def test_the_kept_area_is_forgotten_when_a_grant_is_made_and_revoked(users, world, neighbour, login):
    """The per-request cache (poshan.core.usercache) holds the area with its charges between requests."""
    client = login(neighbour)
    assert client.get(reverse("dashboards:place", args=[world.awc1.pk])).status_code == 404
    charge = grant(users, neighbour, world.awc1)
    assert client.get(reverse("dashboards:place", args=[world.awc1.pk])).status_code == 200
    charge_revoke(actor=users.cdpo, charge=charge)
    assert client.get(reverse("dashboards:place", args=[world.awc1.pk])).status_code == 404


def test_the_worker_chooses_which_centre_she_works(users, world, neighbour, login):
    charge = grant(users, neighbour, world.awc1)
    holder = fresh(neighbour)
    assert working_centres(holder) == [world.awc2, world.awc1]
    assert own_awc(holder) == world.awc2  # her own by default
    holder.working_awc_id = world.awc3.pk  # not hers: ignored
    assert user_awc(holder) == world.awc2
    client = login(neighbour)
    page = client.get(reverse("anganwadi:today")).content.decode()
    assert 'name="awc"' in page and world.awc1.name in page  # the switch, with the grant's last day
    assert "additional charge until 6 Dec" in page
    client.post(reverse("anganwadi:centre_switch"), {"awc": world.awc1.pk, "next": reverse("anganwadi:today")})
    assert client.get(reverse("anganwadi:today")).wsgi_request.user.working_awc_id == world.awc1.pk
    assert own_awc(client.get(reverse("anganwadi:today")).wsgi_request.user) == world.awc1
    used = AdditionalCharge.objects.get(pk=charge.pk)
    assert used.first_used_at is not None
    assert AuditEvent.objects.filter(object_id=str(charge.pk), fields=["used"], actor=neighbour).exists()


def test_a_chosen_centre_no_longer_held_falls_back_to_her_own(users, world, neighbour, login, frozen):
    frozen.move_to("2026-11-27 18:20:00+00:00")  # 23:50 IST on the last day
    grant(users, neighbour, world.awc1, end=TODAY)
    client = login(neighbour)
    client.post(reverse("anganwadi:centre_switch"), {"awc": world.awc1.pk})
    assert own_awc(client.get(reverse("anganwadi:today")).wsgi_request.user) == world.awc1
    frozen.move_to("2026-11-27 18:31:00+00:00")  # 00:01 IST the day after
    request_user = client.get(reverse("anganwadi:today")).wsgi_request.user
    assert own_awc(request_user) == world.awc2


def test_switching_to_a_centre_she_does_not_hold_is_refused(users, world, neighbour):
    with pytest.raises(ValidationError):
        centre_choose(actor=fresh(neighbour), awc_id=world.awc1.pk)


def test_the_nightly_step_takes_expired_permissions_once_and_audits_it(users, world, neighbour, frozen):
    charge = grant(users, neighbour, world.awc1, end=TODAY)
    assert charges_expire() == 0  # the last day is not over
    frozen.move_to("2026-11-28 04:00:00+00:00")
    assert charges_expire_nightly()["expired"] == 1
    assert charges_expire() == 0  # twice: nothing more
    assert not fresh(neighbour).has_perm(HOLD_CHARGE_PERM, world.awc1)
    assert AuditEvent.objects.filter(object_id=str(charge.pk), fields=["expired_at"], actor=None).count() == 1


def test_a_supervisor_holding_a_sector_finds_its_dashboard_from_every_page(users, world, make_user, login):
    supervisor2 = make_user("supervisor", world.sector2)
    grant(users, supervisor2, world.sector1)
    page = login(supervisor2).get(reverse("home")).content.decode()
    assert reverse("dashboards:place", args=[world.sector1.pk]) in page and "until 6 Dec" in page
    assert login(supervisor2).get(reverse("dashboards:place", args=[world.sector1.pk])).status_code == 200


def _api(user, *, centre=None):
    """A token client of `user`, naming `centre` (an id, or any text) as the one it works."""
    from django.test import Client

    from anganwadi.charge.api_auth import WORKING_CENTRE_HEADER
    from tests.factories import TEST_PASSWORD

    token = Client().post("/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD},
                          content_type="application/json").json()["token"]
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    if centre is not None:
        headers["HTTP_" + WORKING_CENTRE_HEADER.upper().replace("-", "_")] = str(centre)
    return Client(**headers)


def _open_day(client):
    return client.post("/api/v1/centre-days/", {"date": TODAY.isoformat(), "opened": True, "opened_at": "09:00"},
                       content_type="application/json")


def test_a_token_client_works_the_centre_she_holds_and_no_other(users, world, neighbour):
    from anganwadi.models import AwcDay

    charge = grant(users, neighbour, world.awc1)  # awc2's worker holds awc1
    assert _open_day(_api(neighbour, centre=world.awc1.pk)).status_code == 201
    assert _open_day(_api(neighbour)).status_code == 201  # without the header: her own centre
    assert set(AwcDay.objects.values_list("awc_id", flat=True)) == {world.awc1.pk, world.awc2.pk}
    assert AuditEvent.objects.filter(object_id=str(charge.pk), fields=["used"], actor=neighbour).exists()

    refused = _open_day(_api(neighbour, centre=world.awc3.pk))  # another sector's centre: not hers
    assert refused.status_code == 403 and "You do not hold this centre today." in refused.content.decode()
    assert _api(neighbour, centre="awc1").get("/api/v1/households/").status_code == 400
    assert _api(users.aww, centre=world.awc2.pk).get("/api/v1/households/").status_code == 403  # holds nothing
    assert AwcDay.objects.count() == 2


def test_a_token_client_loses_the_held_centre_the_day_after_the_charge(users, world, neighbour, frozen):
    home = make_household(world.awc1, actor=users.aww, head_name="Mohan Lal")
    grant(users, neighbour, world.awc1, end=TODAY)
    names = [h["head_name"] for h in _api(neighbour, centre=world.awc1.pk).get("/api/v1/households/").json()["results"]]
    assert names == [home.head_name]
    frozen.move_to("2026-11-27 18:31:00+00:00")  # 00:01 IST the day after
    assert _api(neighbour, centre=world.awc1.pk).get("/api/v1/households/").status_code == 403
