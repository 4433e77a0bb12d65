"""A large benchmark world built with bulk inserts (no per-row services, no audit)."""
from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from anganwadi.models import Location
from poshan.core.roles import Level

AWCS_PER_SECTOR = 25
SECTORS_PER_PROJECT = 4
PROJECTS_PER_DISTRICT = 5
DISTRICTS_PER_STATE = 2
FIRST_STATE_CODE = 50  # demo world uses 23; scale states start here
BULK = 5_000


def _bulk(level: str, parents: list[Location], per_parent: int, limit: int) -> list[Location]:
    rows = []
    for parent in parents:
        for i in range(1, per_parent + 1):
            if len(rows) >= limit:
                break
            loc = Location(level=level, code=parent.code * 100 + i, name=f"{parent.name}-{i}", parent=parent)
            loc.fill_ancestors()
            rows.append(loc)
    Location.objects.bulk_create(rows, batch_size=BULK)
    return list(Location.objects.filter(level=level, parent__in=parents).order_by("code")) if rows else []


@transaction.atomic
def build(*, awcs: int, progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    per_state = AWCS_PER_SECTOR * SECTORS_PER_PROJECT * PROJECTS_PER_DISTRICT * DISTRICTS_PER_STATE
    n_states = -(-awcs // per_state)
    existing = set(Location.objects.filter(level=Level.STATE, code__gte=FIRST_STATE_CODE).values_list("code", flat=True))
    first = max(existing, default=FIRST_STATE_CODE - 1) + 1
    states = [Location(level=Level.STATE, code=first + i, name=f"Scale State {first + i}") for i in range(n_states)]
    Location.objects.bulk_create(states)
    states = list(Location.objects.filter(level=Level.STATE, code__in=[s.code for s in states]))
    districts = _bulk(Level.DISTRICT, states, DISTRICTS_PER_STATE, 10**9)
    projects = _bulk(Level.PROJECT, districts, PROJECTS_PER_DISTRICT, 10**9)
    sectors = _bulk(Level.SECTOR, projects, SECTORS_PER_PROJECT, 10**9)
    awc_rows = _bulk(Level.AWC, sectors, AWCS_PER_SECTOR, awcs)
    progress(f"locations: {len(states)} states, {len(districts)} districts, {len(awc_rows)} AWCs")
    return {"states": len(states), "districts": len(districts), "projects": len(projects),
            "sectors": len(sectors), "awcs": len(awc_rows)}
