"""The API: schema lists every endpoint, 'me' tells the caller's area, tokens work."""
from knox.models import AuthToken

from poshan.core.roles import Role


def test_schema_lists_the_endpoints(users, login):
    response = login(users.aww).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/me/", "/api/v1/locations/", "/api/v1/locations/{id}/"} <= set(paths)


def test_schema_needs_a_signed_in_user(client, db):
    assert client.get("/api/schema/").status_code in (401, 403)


def test_me_reports_role_and_area(world, users, login):
    body = login(users.supervisor).get("/api/v1/me/").json()
    assert body["role"] == Role.SUPERVISOR
    assert body["area_level"] == "sector"
    assert body["location"]["id"] == world.sector1.pk


def test_me_for_the_ministry_is_the_nation(users, login):
    body = login(users.ministry).get("/api/v1/me/").json()
    assert (body["area_level"], body["location"]) == ("nation", None)


def test_token_authentication(world, users, client):
    _, token = AuthToken.objects.create(users.cdpo)
    response = client.get("/api/v1/locations/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} >= {world.project1.pk, world.awc3.pk}


def test_writes_to_locations_are_not_offered(world, users, login):
    from anganwadi.models import Location

    before = Location.objects.count()
    assert login(users.admin).post("/api/v1/locations/", {"name": "x"}).status_code in (403, 405)
    assert Location.objects.count() == before
