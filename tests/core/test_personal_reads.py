"""Every read of personal data is audited once, by the scoped page and API bases: who, when, from where, which object
or list — never a name or number; a list page is one event, however many people it shows."""
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from poshan.core.models import AuditEvent
from tests.factories import make_household, make_person

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def families(world, users):
    made = []
    for n in range(4):
        household = make_household(world.awc1, actor=users.aww, head_name=f"Readhead {n}", mobile=f"98765432{n}{n}")
        made.append((household, make_person(household, name=f"Readchild {n}", dob=date(2022, 5, 5), enrol_as="child")))
    return made


def _views_since(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=since, action=AuditEvent.Action.VIEW).order_by("id"))


def _last() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _no_values(event: AuditEvent) -> None:
    recorded = " ".join([event.object_type, event.object_id, *map(str, event.fields)])
    assert "Read" not in recorded and "98765432" not in recorded


@pytest.mark.parametrize("url", ["/api/v1/households/", "/api/v1/pregnancies/", "/api/v1/home-visits/",
                                 "/api/v1/transfers/", "/api/v1/thr/distributions/", "/api/v1/thr/overrides/"])
def test_an_api_list_is_one_audit_event_naming_the_list(url, families, users, login):
    since = _last()
    response = login(users.aww).get(url)
    assert response.status_code == 200
    [event] = _views_since(since)
    assert (event.actor, event.ip, event.object_id) == (users.aww, "127.0.0.1", "api:list")
    _no_values(event)


def test_an_api_detail_names_the_object_and_its_centre(families, users, login):
    household, _child = families[0]
    since = _last()
    assert login(users.supervisor).get(f"/api/v1/households/{household.pk}/").status_code == 200
    [event] = _views_since(since)
    assert (event.actor, event.object_type, event.object_id, event.awc_id) == (
        users.supervisor, "beneficiaries.household", str(household.pk), household.awc_id)


def test_pages_that_named_people_unaudited_now_write_one_event(families, users, login):
    household, child = families[0]
    client = login(users.aww)
    for url, expected in [
        (reverse("beneficiaries:attendance"), ("beneficiaries.attendance", f"sheet:{TODAY.isoformat()}")),
        (reverse("beneficiaries:transfers"), ("beneficiaries.transfer", "moves")),
        (reverse("beneficiaries:edit", args=[child.pk]), ("beneficiaries.beneficiary", str(child.pk))),
        (reverse("thr_frs:nominees", args=[child.pk]), ("beneficiaries.beneficiary", str(child.pk))),
    ]:
        since = _last()
        assert client.get(url).status_code == 200, url
        [event] = _views_since(since)
        assert (event.object_type, event.object_id, event.awc_id) == (*expected, child.awc_id), url
        _no_values(event)


def test_a_refused_page_writes_no_read_event(families, users, login):
    since = _last()
    assert login(users.dpo).get(reverse("beneficiaries:attendance")).status_code == 403
    assert _views_since(since) == []
