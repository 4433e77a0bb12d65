"""Registration bench: register 10,000 beneficiaries through the service layer; the register page's query count.

Run: .venv/bin/python bench/register.py [--people 10000]
PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres); creates database poshan_bench_register.
Baseline in the same run: the same rows written with plain Model.objects.create (no validation, no audit,
no encryption), so the ratio shows what the service's rules cost. Each registration carries a client id, as the
page and the phone send one (the floor's rows too). Both are warmed, then alternate in halves.
A registration that meets someone of the same sex and date of birth at the centre takes the likely-duplicate check's
slower path (one statement more); the bench prints how many did (none up to --people 4300).
"""
import argparse
import os
import time
import uuid
from datetime import date, timedelta

from _setup import django_setup, fresh_database

BIRTH_DAYS = 2_150  # dates of birth 30 to 2,179 days ago: every child is under six


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    django_setup(fresh_database("poshan_bench_register"))

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from beneficiaries import services
    from beneficiaries.models import Beneficiary, Household
    from poshan.demo.people import demo_aadhaar
    from poshan.demo.world import build_locations, build_users

    awcs = build_locations()
    build_users(awcs)
    awc = awcs[0]
    from poshan.core.models import User

    worker = User.objects.get(username="aww_demo")
    today = timezone.localdate()
    consent = services.ConsentInput(given_by="Head", purposes=("services", "aadhaar"))
    households = [services.household_register(actor=worker, awc=awc, consent=consent,
                                              data=services.HouseholdInput(head_name=f"Head {i}"))
                  for i in range(max(1, args.people // 4))]

    # Each child's sex and date of birth: the first 4,300 are all different, as in a real centre's register (where
    # ~150 children under six share ~4,400 such pairs, so few registrations meet someone of the same birth); past
    # that, every registration does, and takes the likely-duplicate check's slower path (its names compared).
    births: set[tuple[str, int]] = set()
    met = [0]

    def birth(i: int) -> tuple[str, int]:
        return "MF"[(i // BIRTH_DAYS) % 2], 30 + i % BIRTH_DAYS

    def project(numbers) -> None:
        for i in numbers:
            sex, days = birth(i)
            met[0] += (sex, days) in births
            births.add((sex, days))
            services.beneficiary_register(
                actor=worker, household=households[i % len(households)], consent=consent, client_uuid=uuid.uuid4(),
                person=services.PersonInput(name=f"Child {i}", sex=sex, dob=today - timedelta(days=days),
                                            enrol_as="child", aadhaar=demo_aadhaar(500_000 + i)))

    bare_household = Household.objects.create(awc=awc, head_name="Bare")

    def floor(numbers) -> None:
        for i in numbers:
            Beneficiary.objects.create(awc=awc, household=bare_household, name=f"Bare {i}", sex="F",
                                       dob=date(2024, 1, 1), client_uuid=uuid.uuid4())

    # Warm both (first statements, the encryption key), then alternate halves, floor first, as bench/measurement.py
    # does: a checkpoint or a burst of other work on the shared machine then falls on both sides alike.
    warm = 20
    project(range(warm))
    floor(range(warm))
    # The tables' statistics, as autovacuum keeps them on a live database: on tables never analyzed, a prepared
    # statement's generic plan may pick any index that leads with the centre (the likely-duplicate probe then
    # filtered the centre's whole register: 0.65 ms a registration at 3,000 people, and growing with them).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    numbers = range(warm, warm + args.people)
    halves = (numbers[:args.people // 2], numbers[args.people // 2:])
    timed = {"project": 0.0, "floor": 0.0}
    load = [os.getloadavg()[0]]
    for half in halves:
        for name, fn in (("floor", floor), ("project", project)):
            started = time.perf_counter()
            fn(half)
            timed[name] += time.perf_counter() - started
        load.append(os.getloadavg()[0])
    service_seconds, bare_seconds = timed["project"], timed["floor"]

    client = Client()
    client.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/beneficiaries/")
    counts = []
    for page in (1, 5, 40):
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/beneficiaries/?page={page}")
        counts.append(len(ctx.captured_queries))
    print(f"people registered             : {args.people:,} (one AWC; {len(households):,} households)")
    print(f"service layer                 : {args.people / service_seconds:,.0f} registrations/s "
          f"({service_seconds:.1f} s; validation, Verhoeff, encryption, blind index, membership, consent, audit)")
    print(f"baseline (bare Model.create)  : {args.people / bare_seconds:,.0f} rows/s ({bare_seconds:.1f} s)")
    print(f"ratio service / baseline      : {bare_seconds / service_seconds:.2f}")
    print(f"same birth met (slower path)  : {met[0]:,} "
          f"of {args.people + warm:,} registrations")
    print(f"load average                  : {min(load):.2f}–{max(load):.2f}")
    print(f"register page queries (pages 1, 5, 40 of {Beneficiary.objects.filter(awc=awc).count():,} rows): {counts}")


if __name__ == "__main__":
    main()
