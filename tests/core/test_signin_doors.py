"""Every door that takes a password goes through the same pause per address: the sign-in page, the admin's
sign-in and the API's token endpoint (password spraying through a side door is slowed like the front one)."""
import pytest
from django.test import Client

from poshan.core import signin
from tests.factories import TEST_PASSWORD

GUESSER = "198.51.100.77"


def _page(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=GUESSER)


def _admin(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password,
                                                      "next": "/admin/"}, REMOTE_ADDR=GUESSER)


def _token(client, username, password):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password},
                       content_type="application/json", REMOTE_ADDR=GUESSER)


DOORS = {"page": _page, "admin": _admin, "token": _token}
SIGNED_IN = {"page": 302, "admin": 302, "token": 200}


@pytest.mark.parametrize("door", DOORS)
def test_spraying_through_each_door_is_paused(door, users):
    knock = DOORS[door]
    for n in range(signin.ADDRESS_FREE_FAILURES + 1):
        assert knock(Client(), f"guess{n}", "Password@123").status_code in (200, 400), n
    refused = knock(Client(), users.admin.username, TEST_PASSWORD)  # the right password is not even looked at
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= signin.ADDRESS_MAX_DELAY
    assert "_auth_user_id" not in Client().session


@pytest.mark.parametrize("door", DOORS)
def test_each_door_lets_in_a_right_password_from_another_address(door, users):
    for n in range(signin.ADDRESS_FREE_FAILURES + 1):
        DOORS[door](Client(), f"guess{n}", "Password@123")
    other = Client()
    extra = {"REMOTE_ADDR": "198.51.100.78"}
    if door == "token":
        answer = other.post("/api/v1/auth/token/", {"username": users.admin.username, "password": TEST_PASSWORD},
                            content_type="application/json", **extra)
    else:
        path = "/accounts/login/" if door == "page" else "/admin/login/?next=/admin/"
        answer = other.post(path, {"username": users.admin.username, "password": TEST_PASSWORD}, **extra)
    assert answer.status_code == SIGNED_IN[door]


def test_the_doors_share_one_count(users):
    """Guesses spread over the three doors add up: no door is a way round the others' pause."""
    doors = list(DOORS.values())
    for n in range(signin.ADDRESS_FREE_FAILURES + 1):
        doors[n % 3](Client(), f"guess{n}", "Password@123")
    for knock in doors:
        assert knock(Client(), users.admin.username, TEST_PASSWORD).status_code == 429


def test_the_token_door_answers_the_pause_in_json(users):
    for n in range(signin.ADDRESS_FREE_FAILURES + 1):
        _token(Client(), f"guess{n}", "Password@123")
    refused = _token(Client(), users.aww.username, TEST_PASSWORD)
    assert refused.status_code == 429 and refused.json()["retry_after"] > 0
    assert "token" not in refused.json()
