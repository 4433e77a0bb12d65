"""A large benchmark world built with bulk inserts (no per-row services, no audit).

Locations with bulk_create; households, beneficiaries and memberships with COPY on
PostgreSQL (executemany on SQLite). People get realistic dates: children of every
band, pregnant women and lactating mothers, ~70 % with an (encrypted) Aadhaar.
"""
from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from anganwadi.models import Location
from beneficiaries.aadhaar import verhoeff_check_digit
from growth.demo import scale_measurements
from poshan.core import crypto
from poshan.core.roles import Level

from poshan.core import partitions
from poshan.core.partitions import ensure_partitions

from .bulk import constraints_deferred, copy_rows, reserve_ids
from .scale_services import SCALE_MONTHS, build_service_facts, first_month, seed_user
from .scale_thr import build_thr

AWCS_PER_SECTOR = 25
SECTORS_PER_PROJECT = 4
PROJECTS_PER_DISTRICT = 5
DISTRICTS_PER_STATE = 2
FIRST_STATE_CODE = 50  # demo world uses 23; scale states start here
BULK = 5_000
CHILDREN_PER_AWC = 160
WOMEN_PER_AWC = 40
AADHAAR_SHARE = 0.7
AWCS_PER_BATCH = 250  # people are generated and copied this many AWCs at a time (bounded memory)
SCALE_SEED = 11
# Loaded without per-row index and foreign-key upkeep; both are rebuilt once at the end (bulk.constraints_deferred).
BULK_TABLES = ("beneficiaries_household", "beneficiaries_beneficiary", "beneficiaries_awcmembership",
               "beneficiaries_pregnancy", "beneficiaries_attendance", "beneficiaries_homevisit", "growth_measurement",
               "thr_frs_facecheck", "thr_frs_thrdistribution")


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


def _aadhaar_for(n: int) -> tuple[str, str, str]:
    body = f"{2 + n % 8}{(n * 104729 + 17) % 10**10:010d}"
    number = body + verhoeff_check_digit(body)
    return crypto.encrypt(number.encode()).decode(), crypto.blind_index(number, purpose="aadhaar"), number


def _people_rows(awc: Location, hh_id: int, person_id: int, rng: random.Random, today: date, children: int,
                 women: int):
    """Rows for one AWC: households (one per woman), women, their children, memberships, pregnancies."""
    households, people, memberships, pregnancies = [], [], [], []
    now = timezone.now()
    for w in range(women):
        households.append((hh_id, awc.pk, f"Head {hh_id}", f"Ward {w % 9 + 1}", "", "obc", False, "", "", now, None))
        woman_dob = today - timedelta(days=rng.randint(19 * 365, 35 * 365))
        people.append((person_id, hh_id, f"Woman {person_id}", "F", woman_dob, "spouse"))
        roll = rng.random()
        if roll < 0.45:
            lmp = today - timedelta(days=rng.randint(20, 270))
            pregnancies.append((person_id, lmp, lmp + timedelta(days=280), None, ""))
        elif roll < 0.9:
            delivered = today - timedelta(days=rng.randint(1, 180))
            pregnancies.append((person_id, None, None, delivered, "live_birth"))
        person_id += 1
        for c in range(children // women + (1 if w < children % women else 0)):
            dob = today - timedelta(days=rng.randint(0, 6 * 365 - 1))
            people.append((person_id, hh_id, f"Child {person_id}", rng.choice("MF"), dob, "son"))
            person_id += 1
        hh_id += 1
    return households, people, pregnancies


def build_people(awc_rows: list[Location], *, children_per_awc: int, women_per_awc: int,
                 progress: Callable[[str], None]) -> dict[str, int]:
    """Households, beneficiaries, memberships and pregnancies for every AWC, COPY'd in batches."""
    rng = random.Random(SCALE_SEED)
    today = timezone.localdate()
    n_awcs = len(awc_rows)
    hh_id = reserve_ids("beneficiaries_household", n_awcs * women_per_awc)
    person_id = reserve_ids("beneficiaries_beneficiary", n_awcs * (children_per_awc + women_per_awc))
    made = {"households": 0, "beneficiaries": 0, "pregnancies": 0}
    now = timezone.now()
    for start in range(0, n_awcs, AWCS_PER_BATCH):
        hh_batch, person_batch, membership_batch, pregnancy_batch = [], [], [], []
        for awc in awc_rows[start:start + AWCS_PER_BATCH]:
            households, people, pregnancies = _people_rows(awc, hh_id, person_id, rng, today, children_per_awc,
                                                           women_per_awc)
            hh_id += len(households)
            person_id += len(people)
            hh_batch += households
            for pid, household_id, name, sex, dob, relation in people:
                if rng.random() < AADHAAR_SHARE:
                    token, index, _ = _aadhaar_for(pid)
                else:
                    token, index = "", None
                person_batch.append((pid, awc.pk, household_id, None, uuid.uuid4().hex, name, sex, dob, False, relation,
                                     "", True, token, index, None, None, None, None, None, None, "", now))
                membership_batch.append((pid, awc.pk, dob if dob > today - timedelta(days=365) else
                                         today - timedelta(days=365), None))
            pregnancy_batch += [(woman, None, lmp, edd, delivered, outcome, now)
                                for woman, lmp, edd, delivered, outcome in pregnancies]
        with transaction.atomic():
            made["households"] += copy_rows(
                "beneficiaries_household",
                ["id", "awc_id", "head_name", "hamlet", "address", "social_category", "is_minority", "mobile",
                 "mobile_index", "created_at", "client_uuid"], hh_batch)
            made["beneficiaries"] += copy_rows(
                "beneficiaries_beneficiary",
                ["id", "awc_id", "household_id", "client_uuid", "pseudonym", "name", "sex", "dob", "dob_estimated",
                 "relation_to_head", "disability", "is_resident", "aadhaar", "aadhaar_index", "aadhaar_guardian_id",
                 "mother_id", "birth_weight_kg", "last_weighed_on", "last_visited_on", "exited_on", "exit_reason",
                 "created_at"], person_batch)
            copy_rows("beneficiaries_awcmembership", ["beneficiary_id", "awc_id", "start", "end"], membership_batch)
            made["pregnancies"] += copy_rows(
                "beneficiaries_pregnancy",
                ["woman_id", "client_uuid", "lmp", "edd", "delivery_date", "outcome", "created_at"], pregnancy_batch)
        progress(f"people: {min(start + AWCS_PER_BATCH, n_awcs)}/{n_awcs} AWCs, {made['beneficiaries']} beneficiaries")
    return made


@transaction.atomic
def build_locations(*, awcs: int, progress: Callable[[str], None] = lambda _: None) -> list[Location]:
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
    progress(f"locations: {len(states)} states, {len(districts)} districts, {len(projects)} projects, "
             f"{len(sectors)} sectors, {len(awc_rows)} AWCs")
    return awc_rows


def build(*, awcs: int, children_per_awc: int = CHILDREN_PER_AWC, women_per_awc: int = WOMEN_PER_AWC,
          progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """The whole benchmark world; each app adds its facts for the people made here.

    Twelve months of facts: centre days, attendance with the meal, home visits, measurements
    and THR. On PostgreSQL the fact tables' monthly partitions are made first for the whole range.
    """
    started = time.perf_counter()

    def timed(phase: str, counts: dict[str, int]) -> dict[str, int]:
        progress(f"{phase} done at {time.perf_counter() - started:.0f} s")
        return counts

    today = timezone.localdate()
    start = first_month(today, SCALE_MONTHS)
    ensure_partitions(first_month=partitions.add_months(start, -1))  # a measurement may be ~12.5 months old
    awc_rows = build_locations(awcs=awcs, progress=progress)
    counts = {"awcs": len(awc_rows)}
    awc_ids = [a.pk for a in awc_rows]
    with constraints_deferred(BULK_TABLES, progress=progress):
        counts.update(timed("people", build_people(awc_rows, children_per_awc=children_per_awc,
                                                   women_per_awc=women_per_awc, progress=progress)))
        counts.update(timed("centre days, attendance, home visits",
                            build_service_facts(awc_ids, months=SCALE_MONTHS, progress=progress)))
        counts.update(timed("measurements", scale_measurements(awc_rows, months=SCALE_MONTHS, progress=progress)))
        counts.update(timed("THR", build_thr(awc_ids, start=start, today=today, user_id=seed_user().pk,
                                             progress=progress)))
    timed("indexes", {})
    return counts
