"""page_by_keys: the same pages as Django's Paginator, with the list's filter run once."""
from datetime import date

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import Beneficiary
from poshan.core.paging import page_by_keys
from tests.factories import make_household, make_person


@pytest.fixture
def people(world):
    household = make_household(world.awc1)
    for i in range(7):
        make_person(household, name=f"Person {i % 3} {i}", dob=date(1990, 1, 1 + i))
    make_person(make_household(world.awc3), name="Elsewhere", dob=date(1990, 1, 1))  # outside the filter
    return Beneficiary.objects.filter(awc=world.awc1).select_related("awc").order_by("name", "pk")


@pytest.mark.parametrize("number", [None, 1, 2, 3, "3", 99, "last", "abc", -1])
def test_pages_match_the_paginator(people, number):
    expected = Paginator(people, 3).get_page(number)
    got = page_by_keys(people, number, 3)
    assert [p.pk for p in got.object_list] == [p.pk for p in expected.object_list]
    assert (got.number, got.paginator.count, got.paginator.num_pages) == (
        expected.number, expected.paginator.count, expected.paginator.num_pages)
    assert got.has_next() == expected.has_next() and got.start_index() == expected.start_index()


def test_rows_come_with_their_related_objects(people, django_assert_num_queries):
    page = page_by_keys(people, 1, 3)
    with django_assert_num_queries(0):
        assert all(p.awc.name for p in page)


def test_the_filter_runs_once_and_the_page_is_read_by_key(people, world):
    with CaptureQueriesContext(connection) as queries:
        page = page_by_keys(people, 2, 3)
    assert len(queries) == 2
    assert "COUNT(" not in queries[0]["sql"]
    assert {p.awc_id for p in page} == {world.awc1.pk}


def test_an_empty_list_has_one_empty_page(world):
    page = page_by_keys(Beneficiary.objects.none(), 1, 3)
    assert list(page) == [] and page.number == 1 and page.paginator.count == 0
