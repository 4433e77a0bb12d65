"""One write's time with transactions begun in their first statement's message and the audit row sent with the next
statement (poshan.core.pgsession), against psycopg2's own connection (a BEGIN sent alone, the audit row its own
round trip): one process, one writer, the two connections alternating in slices so the shared machine's load falls
on both.

Run: .venv/bin/python bench/pipelined.py [--rounds 6] [--db poshan_bench_pipelined]
PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres); the database `--db` is made afresh.
Writes: a receipt with its audit event (the audit bench's row), the receipt alone (its floor), a measurement and
a registration through the services. The median slice of each is printed, in ms per write.
"""
import argparse
import itertools
import os
import statistics
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from _setup import django_setup, fresh_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=6, help="slices of each write on each connection")
    parser.add_argument("--db", default="poshan_bench_pipelined")
    args = parser.parse_args()
    django_setup(fresh_database(args.db))

    from django.db import connection, transaction
    from django.utils import timezone

    from beneficiaries import services as people
    from beneficiaries.models import Beneficiary
    from growth import services as growth
    from poshan.core.audit import audit_record
    from poshan.core.models import SubmissionReceipt, User
    from poshan.core.pgsession import Connection
    from poshan.demo.people import demo_aadhaar
    from poshan.demo.world import build_locations, build_users

    awcs = build_locations()
    build_users(awcs)
    worker = User.objects.get(username="aww_demo")
    awc = awcs[0]
    today = timezone.localdate()
    consent = people.ConsentInput(given_by="Head", purposes=("services", "aadhaar"))
    household = people.household_register(actor=worker, awc=awc, consent=consent,
                                          data=people.HouseholdInput(head_name="Bench"))
    children = [Beneficiary.objects.create(awc=awc, household=household, name=f"Child {i}", sex="MF"[i % 2],
                                           dob=today - timedelta(days=400 + (i * 7) % 1400)) for i in range(300)]
    numbers = itertools.count()

    def receipt_audited():
        with transaction.atomic():
            made = SubmissionReceipt.objects.create(client_uuid=uuid.uuid4(), kind="bench", user=worker)
            audit_record(actor=worker, action="create", obj=made, awc_id=awc.pk)

    def receipt():
        with transaction.atomic():
            SubmissionReceipt.objects.create(client_uuid=uuid.uuid4(), kind="bench", user=worker)

    def measurement():
        n = next(numbers)
        child = children[n % len(children)]
        growth.measurement_record(actor=worker, child=child, client_uuid=uuid.uuid4(),
                                  date=today - timedelta(days=n % 90), weight_kg=Decimal("10.5"),
                                  lenhei_cm=Decimal("80.0"), measure="l" if (today - child.dob).days < 730 else "h",
                                  muac_cm=Decimal("13.5"))

    def registration():
        n = next(numbers)
        people.beneficiary_register(actor=worker, household=household, consent=consent, person=people.PersonInput(
            name=f"Bench child {n}", sex="MF"[n % 2], dob=today - timedelta(days=300 + n % 1000), enrol_as="child",
            aadhaar=demo_aadhaar(600_000 + n)))

    def use(pipelined: bool) -> None:
        connection.close()
        options = connection.settings_dict["OPTIONS"]
        if pipelined:
            options["connection_factory"] = Connection
        else:
            options.pop("connection_factory", None)
        connection.ensure_connection()

    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print("| write | pipelined (ms) | psycopg2's own (ms) | less |")
    print("|---|---|---|---|")
    for name, write, count in (("receipt + audit event", receipt_audited, 400), ("receipt alone", receipt, 400),
                               ("measurement (services)", measurement, 120),
                               ("registration (services)", registration, 120)):
        timed: dict[bool, list[float]] = {True: [], False: []}
        for _round in range(args.rounds):
            for pipelined in (True, False):
                use(pipelined)
                write()  # the session's statements prepared
                started = time.perf_counter()
                for _ in range(count):
                    write()
                timed[pipelined].append((time.perf_counter() - started) / count * 1000)
        new, old = statistics.median(timed[True]), statistics.median(timed[False])
        print(f"| {name} | {new:.3f} | {old:.3f} | {(old - new) / old * 100:.0f} % |", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
