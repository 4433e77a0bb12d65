"""Additional charge ends with its last day: at 23:59 IST the holder still sees and works the centre she holds; at
00:01 IST the next day (nothing having run) every page, the API and the register PDFs answer her as if it did not
exist, and her lists no longer hold its people. Also the CDPO's page: grant, overlap refused, end now."""
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from anganwadi.charge.models import AdditionalCharge
from anganwadi.charge.services import charge_grant
from tests.factories import make_household, make_person

TODAY = date(2026, 11, 27)
LAST_MINUTE = "2026-11-27 18:29:00+00:00"  # 23:59 IST on the grant's last day
NEXT_DAY = "2026-11-27 18:31:00+00:00"  # 00:01 IST the day after


@pytest.fixture
def clock():
    with time_machine.travel("2026-11-27 18:00:00+00:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def held(clock, world, users, make_user):
    """awc2's worker holds awc1 for today only; a woman registered at awc1 and one at awc2."""
    holder = make_user("aww", world.awc2)
    theirs = make_person(make_household(world.awc1, head_name="Ram Charge"), name="Leela Heldcentre", sex="F",
                         age_years=30)
    hers = make_person(make_household(world.awc2, head_name="Shyam Own"), name="Meena Owncentre", sex="F",
                       age_years=30)
    charge_grant(actor=users.cdpo, holder=holder, location=world.awc1, start=TODAY, end=TODAY, reason="Vacant")
    return holder, theirs, hers


def reads(world, person) -> dict[str, str]:
    month = {"year": TODAY.year, "month": TODAY.month}
    return {
        "page": reverse("beneficiaries:detail", args=[person.pk]),
        "api": f"/api/v1/beneficiaries/{person.pk}/",
        "register": reverse("registers:centre", kwargs={"pk": world.awc1.pk, **month}),
        "pdf": reverse("registers:pdf", kwargs={"pk": world.awc1.pk, "kind": "survey", **month}),
        "dashboard": reverse("dashboards:place", args=[world.awc1.pk]),
    }


def test_the_holder_sees_both_centres_to_the_last_minute_and_nothing_of_the_held_one_after(
        held, world, login, clock):
    holder, theirs, _hers = held
    clock.move_to(LAST_MINUTE)
    client = login(holder)
    urls = reads(world, theirs)
    for name in ("page", "api", "register", "pdf", "dashboard"):
        assert client.get(urls[name]).status_code == 200, name
    listed = client.get(reverse("beneficiaries:register") + "?show=all").content.decode()
    assert "Leela Heldcentre" in listed and "Meena Owncentre" in listed
    api_list = client.get("/api/v1/beneficiaries/?show=all").content.decode()
    assert "Leela Heldcentre" in api_list and "Meena Owncentre" in api_list

    clock.move_to(NEXT_DAY)
    for name in ("page", "api", "register", "pdf", "dashboard"):
        assert client.get(urls[name]).status_code in (403, 404), name
    listed = client.get(reverse("beneficiaries:register") + "?show=all").content.decode()
    assert "Leela Heldcentre" not in listed and "Meena Owncentre" in listed
    api_list = client.get("/api/v1/beneficiaries/?show=all").content.decode()
    assert "Leela Heldcentre" not in api_list and "Meena Owncentre" in api_list
    assert client.get(reverse("anganwadi:area", args=[world.awc1.pk])).status_code == 404


def test_a_worker_working_the_held_centre_is_back_at_her_own_the_day_after(held, world, login, clock):
    holder, _theirs, _hers = held
    clock.move_to(LAST_MINUTE)
    client = login(holder)
    client.post(reverse("anganwadi:centre_switch"), {"awc": world.awc1.pk})
    page = client.get(reverse("anganwadi:today")).content.decode()
    assert world.awc1.name in page
    clock.move_to(NEXT_DAY)
    page = client.get(reverse("anganwadi:today"))
    assert page.status_code == 200
    assert 'name="awc"' not in page.content.decode()  # one centre again: no switch
    assert world.awc2.name in page.content.decode()


def test_the_cdpo_grants_on_her_page_and_an_overlap_is_refused_in_her_language(clock, world, users, make_user,
                                                                                login):
    holder, other = make_user("aww", world.awc2), make_user("aww", world.awc3)
    client = login(users.cdpo)
    page = client.get(reverse("anganwadi:charges"))
    assert page.status_code == 200 and world.awc1.name in page.content.decode()
    form = {"holder": holder.pk, "location": world.awc1.pk, "start": TODAY.isoformat(),
            "end": (TODAY + timedelta(days=5)).isoformat(), "reason": "Worker on leave"}
    assert client.post(reverse("anganwadi:charges"), form).status_code == 302
    refused = client.post(reverse("anganwadi:charges"), {**form, "holder": other.pk},
                          HTTP_ACCEPT_LANGUAGE="hi")
    assert refused.status_code == 400
    assert AdditionalCharge.objects.count() == 1
    charge = AdditionalCharge.objects.get()
    assert client.post(reverse("anganwadi:charge_revoke", args=[charge.pk])).status_code == 302
    assert AdditionalCharge.objects.get().revoked_at is not None


def test_a_cdpo_cannot_grant_outside_her_project(clock, world, users, make_user, login):
    far = make_user("aww", world.awc5)
    client = login(users.cdpo)
    form = {"holder": far.pk, "location": world.awc4.pk, "start": TODAY.isoformat(), "end": TODAY.isoformat(),
            "reason": "x"}
    assert client.post(reverse("anganwadi:charges"), form).status_code == 400  # neither is in her lists
    assert not AdditionalCharge.objects.exists()
