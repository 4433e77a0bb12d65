"""A searched mobile (or Aadhaar) number never travels in a URL, so it is in no address bar, history, server log or
pagination link: the register and growth pages take the search by POST (with CSRF, no JavaScript needed) and
page on with a short-lived token; a number typed into the address is dropped with a message; the API takes it in
the body of POST .../search/ and refuses it in the query string."""
import logging
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from poshan.core.search import SEARCH_SESSION_KEY, SEARCH_TOKEN_SECONDS
from tests.factories import make_household, make_person

TODAY = date(2026, 11, 27)
NUMBER = "9812345671"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def family(world, users):
    household = make_household(world.awc1, actor=users.aww, head_name="Mohan Lal", mobile=NUMBER)
    child = make_person(household, name="Pinky", dob=date(2023, 5, 5), enrol_as="child")
    for n in range(30):  # more than one page of the register
        make_person(household, name=f"Sibling {n:02d}", dob=date(2022, 5, 5), enrol_as="child")
    return household, child


def _in_logs(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if NUMBER in record.getMessage() or NUMBER in str(record.__dict__)]


def test_the_register_search_by_number_is_posted_and_pages_on_without_the_number(family, users, login, caplog):
    caplog.set_level(logging.DEBUG)
    client = login(users.aww)
    form = client.get(reverse("beneficiaries:register")).content.decode()
    assert 'method="post"' in form and "csrfmiddlewaretoken" in form

    posted = client.post(reverse("beneficiaries:register"), {"q": NUMBER, "show": "current"})
    assert posted.status_code == 302 and NUMBER not in posted["Location"]
    page = client.get(posted["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and "Pinky" in body and "Sibling 00" in body
    assert "page=2" in body  # the pager's links carry the token, never the number
    links = [part.split('"')[0] for part in body.split('href="')[1:]]
    assert links and not [link for link in links if NUMBER in link]
    next_page = client.get(posted["Location"] + "&page=2").content.decode()
    assert "Sibling 2" in next_page and "Pinky" not in next_page  # the same search, page two
    assert _in_logs(caplog) == []


def test_the_form_needs_its_csrf_token(family, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.aww, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("beneficiaries:register"), {"q": NUMBER}).status_code == 403


def test_a_number_typed_into_the_address_is_dropped_with_a_message(family, users, login, caplog):
    caplog.set_level(logging.DEBUG)
    client = login(users.aww)
    for url in (reverse("beneficiaries:register"), reverse("growth:children")):
        answer = client.get(url, {"q": NUMBER, "page": "2"})
        assert answer.status_code == 302 and NUMBER not in answer["Location"], url
        shown = client.get(answer["Location"]).content.decode()
        assert "Search for a number with the Search button" in shown and NUMBER not in shown
    assert _in_logs(caplog) == []


def test_a_name_still_searches_by_address(family, users, login):
    body = login(users.aww).get(reverse("beneficiaries:register"), {"q": "Pinky"}).content.decode()
    assert "Pinky" in body and "Sibling 00" not in body


def test_an_expired_search_token_finds_nothing_in_particular(family, users, login):
    client = login(users.aww)
    location = client.post(reverse("beneficiaries:register"), {"q": "Pinky"})["Location"]
    assert "Sibling 00" not in client.get(location).content.decode()
    session = client.session
    for entry in session[SEARCH_SESSION_KEY].values():
        entry[1] -= SEARCH_TOKEN_SECONDS + 1
    session.save()
    assert "Sibling 00" in client.get(location).content.decode()  # the search is forgotten: the whole register


def test_the_growth_search_is_posted_too(family, users, login, caplog):
    caplog.set_level(logging.DEBUG)
    client = login(users.aww)
    assert 'method="post"' in client.get(reverse("growth:children")).content.decode()
    posted = client.post(reverse("growth:children"), {"q": "Pinky"})
    assert posted.status_code == 302 and "Pinky" not in posted["Location"]
    body = client.get(posted["Location"]).content.decode()
    assert "Pinky" in body and "Sibling 00" not in body


def test_the_api_takes_a_number_in_the_body_only(family, users, login, caplog):
    caplog.set_level(logging.DEBUG)
    client = login(users.aww)
    refused = client.get("/api/v1/beneficiaries/", {"q": NUMBER})
    assert refused.status_code == 400 and NUMBER not in refused.content.decode()
    found = client.post("/api/v1/beneficiaries/search/", {"q": NUMBER}, content_type="application/json")
    assert found.status_code == 200
    names = {row["name"] for row in found.json()["results"]}
    assert "Pinky" in names and found.json()["count"] == 31
    assert NUMBER not in (found.json().get("next") or "")
    assert _in_logs(caplog) == []


def test_the_api_search_is_for_those_who_may_read_the_register(family, users, login):
    assert login(users.dpo).post("/api/v1/beneficiaries/search/", {"q": NUMBER},
                                 content_type="application/json").status_code == 403
    assert login(users.supervisor).post("/api/v1/beneficiaries/search/", {"q": NUMBER},
                                        content_type="application/json").status_code == 200
