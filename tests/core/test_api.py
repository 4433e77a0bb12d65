"""The API: schema lists every endpoint, 'me' tells the caller's area, tokens work."""
from django.conf import settings
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


# --- the model serializer: fields built once per class ---------------------------------------------------------

def _project_model_serializers():
    """Every model serializer of the project's apps that an endpoint uses (loading the URLconf imports them all)."""
    from django.apps import apps
    from django.urls import get_resolver
    from rest_framework import serializers

    get_resolver().url_patterns
    ours = {app.name.split(".")[0] for app in apps.get_app_configs()
            if app.path.startswith(str(settings.BASE_DIR)) and "site-packages" not in app.path}

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return [cls for cls in subclasses(serializers.ModelSerializer) if cls.__module__.split(".")[0] in ours]


def test_every_model_serializer_builds_its_fields_once_per_class():
    from poshan.core.api import ModelSerializer

    found = _project_model_serializers()
    assert len(found) >= 20
    assert [cls for cls in found if not issubclass(cls, ModelSerializer)] == []


def test_a_serializer_reads_its_model_once_and_each_instance_gets_its_own_fields(db, monkeypatch):
    from rest_framework.utils import model_meta

    from beneficiaries.models import Beneficiary
    from growth.serializers import MeasurementSerializer

    MeasurementSerializer().fields  # built (the class may already have been used)
    reads = []
    original = model_meta.get_field_info
    monkeypatch.setattr(model_meta, "get_field_info", lambda model: reads.append(model) or original(model))
    scoped = Beneficiary.objects.filter(pk=1)
    first = MeasurementSerializer(child_queryset=scoped)
    second = MeasurementSerializer()
    assert list(first.fields) == list(second.fields) and "weight_kg" in second.fields
    assert reads == []
    assert first.fields["child"].queryset is scoped
    assert second.fields["child"].queryset.query.is_empty()  # the first's scope did not leak into the next
    assert first.fields["weight_kg"] is not second.fields["weight_kg"]
