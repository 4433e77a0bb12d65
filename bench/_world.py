"""The benches' world of places: one state → 5 districts → 50 projects → 200 sectors → the AWCs (bulk-inserted with
their ancestors' ids), a household per AWC, and a page's query count and time for a signed-in user.

Call after _setup.django_setup (the models are imported inside the functions)."""
from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Tree:
    state: list
    districts: list
    projects: list
    sectors: list
    awcs: list


def location_tree(awcs: int) -> Tree:
    """The places down to about ``awcs`` AWCs (25 a sector at 5,000), bulk-inserted."""
    from anganwadi.models import Location

    code = iter(range(1, 10**9))

    def level(parents, name, per):
        rows = []
        for parent in parents:
            for _ in range(per):
                loc = Location(level=name, code=next(code), name=f"{name} {len(rows)}", parent=parent)
                loc.fill_ancestors()
                rows.append(loc)
        return Location.objects.bulk_create(rows, batch_size=2000)

    state = level([None], "state", 1)
    districts = level(state, "district", 5)
    projects = level(districts, "project", 10)
    sectors = level(projects, "sector", 4)
    return Tree(state, districts, projects, sectors, level(sectors, "awc", max(1, awcs // len(sectors))))


def households(awcs) -> list:
    """One household an AWC, for the children to belong to."""
    from beneficiaries.models import Household

    return Household.objects.bulk_create([Household(awc=a, head_name="Head") for a in awcs], batch_size=5000)


def page(user, url: str) -> tuple[int, int, float]:
    """``url`` for ``user`` after one warming request: (status, queries, milliseconds)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    return response.status_code, len(queries), seconds * 1000
