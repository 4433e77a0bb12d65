"""The grievance API: lodge (JSON and multipart), list and detail in scope, the status actions, the schema."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grievances.models import Grievance
from poshan.core.roles import Role

from .conftest import image_bytes

API = "/api/v1/grievances/"


def test_worker_lodges_over_the_api(world, users, login):
    response = login(users.aww).post(API, {"category": "device", "description": "Phone broken."},
                                     content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("GRV-") and body["desk_role"] == "cdpo" and body["awc"] == world.awc1.pk


def test_api_lodging_with_a_screenshot(users, login):
    shot = SimpleUploadedFile("s.webp", image_bytes("WEBP"), content_type="image/webp")
    response = login(users.aww).post(API, {"category": "app", "description": "See.", "screenshot": shot})
    assert response.status_code == 201
    assert response.json()["screenshot_url"].endswith("/screenshot/")


def test_api_refuses_a_non_image_and_saves_nothing(users, login):
    shot = SimpleUploadedFile("s.jpg", b"GIF89a-nope", content_type="image/jpeg")
    response = login(users.aww).post(API, {"category": "app", "description": "See.", "screenshot": shot})
    assert response.status_code == 400
    assert "screenshot" in response.json()
    assert not Grievance.objects.exists()


def test_api_refuses_a_missing_description(users, login):
    response = login(users.aww).post(API, {"category": "app"}, content_type="application/json")
    assert response.status_code == 400 and "description" in response.json()


def test_helpline_lodges_over_the_api_for_any_centre(world, users, login):
    response = login(users.helpline).post(API, {"category": "payment", "description": "Late pay.", "awc": world.awc6.pk,
                                                "caller_language": "mr"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["caller_language"] == "mr"


def test_officer_lodges_for_a_worker_over_the_api(users, login):
    response = login(users.cdpo).post(API, {"category": "app", "description": "x", "worker": users.aww.pk},
                                      content_type="application/json")
    assert response.status_code == 201 and response.json()["worker"] == users.aww.username


def test_api_detail_in_and_out_of_scope(world, users, make_user, lodge, login):
    here = lodge()
    there = lodge(actor=make_user(Role.AWW, world.awc5))
    client = login(users.cdpo)
    assert client.get(f"{API}{here.pk}/").json()["events"][0]["kind"] == "lodged"
    assert client.get(f"{API}{there.pk}/").status_code == 404


def test_api_list_in_scope_with_status_filter(world, users, make_user, lodge, login):
    here = lodge()
    lodge(actor=make_user(Role.AWW, world.awc5))
    client = login(users.cdpo)
    assert [row["id"] for row in client.get(API).json()["results"]] == [here.pk]
    assert client.get(API, {"status": "resolved"}).json()["count"] == 0


def test_api_status_flow(users, lodge, login):
    grievance = lodge()
    cdpo = login(users.cdpo)
    assert cdpo.post(f"{API}{grievance.pk}/start/").json()["status"] == "in_progress"
    assert cdpo.post(f"{API}{grievance.pk}/resolve/", {"note": "Fixed."}, content_type="application/json"
                     ).json()["status"] == "resolved"
    worker = login(users.aww)
    assert worker.post(f"{API}{grievance.pk}/close/").json()["status"] == "closed"


def test_api_refuses_a_step_out_of_order(users, lodge, login):
    """The service's refusal answers 400 with its message, under the key every endpoint uses for it."""
    grievance = lodge()
    response = login(users.cdpo).post(f"{API}{grievance.pk}/resolve/", {"note": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Take the grievance up (in progress) before resolving it."]}
    assert Grievance.objects.get(pk=grievance.pk).status == "open"


def test_api_action_by_someone_not_allowed_is_forbidden(users, lodge, login):
    grievance = lodge()
    assert login(users.aww).post(f"{API}{grievance.pk}/start/").status_code == 403


def test_api_action_out_of_scope_is_not_found(world, users, make_user, lodge, login):
    grievance = lodge()
    assert login(make_user(Role.CDPO, world.project2)).post(f"{API}{grievance.pk}/start/").status_code == 404


def test_api_assign(users, lodge, login):
    grievance = lodge()
    response = login(users.cdpo).post(f"{API}{grievance.pk}/assign/", {"officer": users.supervisor.pk},
                                      content_type="application/json")
    assert response.status_code == 200
    assert users.supervisor.has_perm("grievances.handle_grievance", Grievance.objects.get(pk=grievance.pk))


@pytest.mark.parametrize("path", ["/api/v1/grievances/", "/api/v1/grievances/{id}/",
                                  "/api/v1/grievances/{id}/start/", "/api/v1/grievances/{id}/resolve/",
                                  "/api/v1/grievances/{id}/close/", "/api/v1/grievances/{id}/reopen/",
                                  "/api/v1/grievances/{id}/note/", "/api/v1/grievances/{id}/assign/",
                                  "/api/v1/training/videos/", "/api/v1/training/videos/{id}/",
                                  "/api/v1/training/progress/"])
def test_schema_lists_the_endpoint(path, users, login):
    paths = login(users.aww).get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert path in paths
