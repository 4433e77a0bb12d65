"""Every THR endpoint: in scope it works, out of scope it is 404 (or refused), and face endpoints are the centre's."""
from __future__ import annotations

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from poshan.core import sms
from poshan.core.roles import Role
from thr_frs.models import FaceCheck, Nominee, OtpChallenge, OverrideRequest
from thr_frs.services import otp_send, override_request, stock_receive

from .conftest import photo

PERSON_GET = ["handover", "enrol", "nominees", "override"]
PERSON_POST = ["match", "enrol", "erase", "nominees", "otp_send", "otp_verify", "override", "override_handover"]
FACE_PAGES = ["enrol", "match"]


def _jpeg():
    return SimpleUploadedFile("f.jpg", photo("obama_1.jpg"), content_type="image/jpeg")


def _post_data(name, family):
    return {"photo": _jpeg(), "quantity": 4, "client_uuid": str(uuid.uuid4()), "code": "123456",
            "reason": "The camera is broken", "person": family.ram.pk, "override": 0}


@pytest.fixture
def superuser(make_user):
    user = make_user(Role.ADMIN, None)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


@pytest.fixture
def check(family, users):
    return FaceCheck.objects.create(awc=family.sita.awc, beneficiary=family.sita, person=family.sita,
                                    purpose="match", requested_by=users.aww)


@pytest.mark.parametrize("name", PERSON_GET)
def test_person_pages_open_for_the_centres_worker(name, family, users, login):
    assert login(users.aww).get(reverse(f"thr_frs:{name}", args=[family.sita.pk])).status_code == 200


@pytest.mark.parametrize("name", PERSON_GET)
def test_person_pages_of_another_centre_are_not_found(name, family, other_family, login):
    assert login(other_family.aww).get(reverse(f"thr_frs:{name}", args=[family.sita.pk])).status_code == 404


@pytest.mark.parametrize("name", PERSON_POST)
def test_person_posts_of_another_centre_are_not_found_and_change_nothing(name, family, other_family, login):
    response = login(other_family.aww).post(reverse(f"thr_frs:{name}", args=[family.sita.pk]),
                                            _post_data(name, family))

    assert response.status_code == 404
    assert not (FaceCheck.objects.exists() or Nominee.objects.exists() or OverrideRequest.objects.exists()
                or OtpChallenge.objects.exists())


@pytest.mark.parametrize("name", FACE_PAGES)
def test_face_endpoints_are_not_for_the_supervisor(name, family, users, login):
    response = login(users.supervisor).post(reverse(f"thr_frs:{name}", args=[family.sita.pk]),
                                            _post_data(name, family))
    assert response.status_code == 403


@pytest.mark.parametrize("name", FACE_PAGES)
def test_face_endpoints_are_not_for_a_nation_wide_superuser(name, family, superuser, login):
    response = login(superuser).post(reverse(f"thr_frs:{name}", args=[family.sita.pk]), _post_data(name, family))
    assert response.status_code == 404
    assert not FaceCheck.objects.exists()


@pytest.mark.parametrize("name", ["check", "check_status"])
def test_face_check_pages_in_and_out_of_scope(name, check, users, other_family, login):
    url = reverse(f"thr_frs:{name}", args=[check.pk])
    assert login(users.aww).get(url).status_code == 200
    assert login(other_family.aww).get(url).status_code == 404
    assert login(users.supervisor).get(url).status_code == 403


def test_centre_pages_show_only_the_own_centre(family, other_family, users, login):
    stock_receive(actor=users.aww, awc=family.sita.awc, received_on=family.sita.created_at.date(), packets=77,
                  note="Challan SITA-CENTRE")
    client = login(other_family.aww)

    home, stock = client.get(reverse("thr_frs:home")).content.decode(), client.get(
        reverse("thr_frs:stock")).content.decode()

    assert "Gita" in home and "Sita" not in home
    assert "Challan SITA-CENTRE" not in stock


def test_supervision_is_for_supervisors(users, login, world):
    assert login(users.supervisor).get(reverse("thr_frs:supervision")).status_code == 200
    assert login(users.aww).get(reverse("thr_frs:supervision")).status_code == 403


def test_override_of_another_sector_cannot_be_answered(family, users, make_user, world, login, stock):
    override = override_request(actor=users.aww, beneficiary=family.sita, reason="Camera broken at the centre")
    url = reverse("thr_frs:override_decide", args=[override.pk])

    assert login(make_user(Role.SUPERVISOR, world.sector2)).post(url, {f"o{override.pk}-approve": "yes"}
                                                                 ).status_code == 404
    assert login(users.supervisor).post(url, {f"o{override.pk}-approve": "yes"}).status_code == 302


@pytest.mark.parametrize(("role", "home", "sibling"), [
    (Role.AWW, "awc1", "awc2"), (Role.SUPERVISOR, "sector1", "sector2"), (Role.CDPO, "project1", "project2"),
    (Role.DPO, "district1", "district2"), (Role.STATE, "state1", "state2")])
def test_report_in_and_out_of_area(role, home, sibling, world, users, login):
    client = login(getattr(users, role))
    assert client.get(reverse("thr_frs:report_area", args=[getattr(world, home).pk])).status_code == 200
    assert client.get(reverse("thr_frs:report_area", args=[getattr(world, sibling).pk])).status_code == 404


def test_report_is_not_for_the_helpline(users, login, world):
    assert login(users.helpline).get(reverse("thr_frs:report")).status_code == 403


# --- API ------------------------------------------------------------------------------------------------


def _api_face(client, beneficiary):
    return client.post("/api/v1/thr/face-checks/", {"beneficiary": beneficiary.pk, "purpose": "enrol",
                                                    "photo": _jpeg()})


def test_api_face_check_for_own_centre_is_accepted(family, users, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _api_face(login(users.aww), family.sita)

    assert response.status_code == 202
    body = login(users.aww).get(f"/api/v1/thr/face-checks/{response.json()['id']}/").json()
    assert body["status"] == "done" and body["purpose"] == "enrol"


def test_api_face_check_for_another_centre_is_refused(family, other_family, login):
    response = _api_face(login(other_family.aww), family.sita)

    assert response.status_code == 400 and "beneficiary" in response.json()
    assert not FaceCheck.objects.exists()


def test_api_face_checks_are_not_for_the_supervisor(family, users, login):
    assert _api_face(login(users.supervisor), family.sita).status_code == 403


def test_api_face_check_of_another_centre_is_not_found(check, users, other_family, login):
    assert login(users.aww).get(f"/api/v1/thr/face-checks/{check.pk}/").status_code == 200
    assert login(other_family.aww).get(f"/api/v1/thr/face-checks/{check.pk}/").status_code == 404


def test_api_lists_hold_only_the_callers_area(family, other_family, users, login, stock):
    override_request(actor=users.aww, beneficiary=family.sita, reason="Camera broken at the centre")
    client = login(other_family.aww)

    assert client.get("/api/v1/thr/stock/").json()["results"] == []
    assert client.get("/api/v1/thr/overrides/").json()["results"] == []
    assert client.get("/api/v1/thr/distributions/").json()["results"] == []
    assert len(login(users.supervisor).get("/api/v1/thr/overrides/").json()["results"]) == 1


def test_api_override_decide_in_and_out_of_sector(family, users, make_user, world, login, stock):
    override = override_request(actor=users.aww, beneficiary=family.sita, reason="Camera broken at the centre")
    url = f"/api/v1/thr/overrides/{override.pk}/decide/"

    assert login(make_user(Role.SUPERVISOR, world.sector2)).post(url, {"approve": True}).status_code == 404
    assert login(users.aww).post(url, {"approve": True}).status_code == 403
    assert login(users.supervisor).post(url, {"approve": True}).json()["status"] == "approved"


def test_api_override_handover_of_another_centre_is_not_found(family, other_family, users, login, stock):
    override = override_request(actor=users.aww, beneficiary=family.sita, reason="Camera broken at the centre")

    assert login(other_family.aww).post(f"/api/v1/thr/overrides/{override.pk}/handover/").status_code == 404


def test_api_otp_in_and_out_of_scope(family, other_family, users, login, stock, django_capture_on_commit_callbacks):
    assert login(other_family.aww).post("/api/v1/thr/otp/", {"beneficiary": family.sita.pk}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        challenge = otp_send(actor=users.aww, beneficiary=family.sita)

    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    url = f"/api/v1/thr/otp/{challenge.pk}/verify/"
    assert login(other_family.aww).post(url, {"code": code}).status_code == 404
    assert login(users.aww).post(url, {"code": code}).json()["verified_by"] == "otp"


def test_api_figures_in_and_out_of_area(world, users, login):
    client = login(users.cdpo)
    assert client.get(f"/api/v1/thr/figures/?location={world.sector1.pk}").status_code == 200
    assert client.get(f"/api/v1/thr/figures/?location={world.project2.pk}").status_code == 404


def test_api_service_refusal_is_a_400_with_the_message(family, users, login, stock):
    response = login(users.aww).post("/api/v1/thr/overrides/", {"beneficiary": family.ram.pk,
                                                                "reason": "Camera broken at the centre"})

    assert response.status_code == 400
    assert "Ram is not entitled" in str(response.json())


def test_schema_lists_the_thr_endpoints(users, login):
    paths = login(users.aww).get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {"/api/v1/thr/face-checks/", "/api/v1/thr/face-checks/{id}/", "/api/v1/thr/distributions/",
            "/api/v1/thr/stock/", "/api/v1/thr/otp/", "/api/v1/thr/otp/{id}/verify/", "/api/v1/thr/overrides/",
            "/api/v1/thr/overrides/{id}/decide/", "/api/v1/thr/overrides/{id}/handover/",
            "/api/v1/thr/figures/"} <= set(paths)
