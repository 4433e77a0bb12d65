"""The audit log under concurrent writers: audited writes against the same writes unaudited, and the sealing lag.

Run: .venv/bin/python bench/audit.py [--seconds 15] [--writers 16 64] [--write receipt|registration]
PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres); creates database --db (poshan_bench_audit).

A "write" is one transaction. --write receipt (the goal's row, the default): one row inserted (a SubmissionReceipt,
as a queued submission leaves) and, when audited, the audit event of it (poshan.core.audit.audit_record): the
cheapest write there is, so the event's own cost shows whole. --write registration: a form as a worker sends it,
a child registered through beneficiaries.services (duplicate probe, the person, membership, consent, the event);
"off" is the same service with its audit call replaced, in this process only, by nothing. Each mode runs for
--seconds in all with N writer threads (own connections), in one run; "off" and "audited" alternate in --rounds
slices (off, audited, off, audited, …) so that a burst of other work on the shared machine falls on both, and each
ratio is of their summed writes:
  off      the same transaction without the audit event (the floor);
  audited  audit_record as it is: one INSERT, no lock; the sealer runs meanwhile in its own process
           (`manage.py audit_seal --every AUDIT_SEAL_EVERY`), as beat's worker runs it;
  chained  (for the record, receipts only) the former write path: pg_advisory_xact_lock(7100001) + read of the
           last hash + INSERT.
Lag: from a write's commit to the signing of the first head that covers it (goal <= 10 s); the worst slice's p50, p95, max.
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import os
import subprocess
import sys
import threading
import time
import uuid

from _setup import ROOT, django_setup, fresh_database, in_threads, percentile


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15, help="each mode's time in all, per writer count")
    parser.add_argument("--rounds", type=int, default=3, help="slices per mode, off and audited alternating")
    parser.add_argument("--writers", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--no-sealer", action="store_true", help="diagnosis: audited writes with no sealer running")
    parser.add_argument("--db", default="poshan_bench_audit", help="the bench database (dropped and made again)")
    parser.add_argument("--write", choices=("receipt", "registration"), default="receipt")
    args = parser.parse_args()
    django_setup(fresh_database(args.db))

    from django.conf import settings
    from django.db import connection, connections, transaction
    from django.db.models import Max

    from anganwadi.models import Location
    from poshan.core.audit import audit_record
    from poshan.core.audit_tree import seal_all
    from poshan.core.models import AuditEvent, AuditLeaf, AuditSignedHead, SubmissionReceipt, User
    from poshan.demo.world import build_locations, build_users

    awcs = build_locations()
    build_users(awcs)
    worker = User.objects.get(username="aww_demo")
    awc_ids = list(Location.objects.filter(level="awc").values_list("pk", flat=True)[:200])

    def chained_record(**kwargs):
        with transaction.atomic(savepoint=False):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(7100001)")
            AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
            return audit_record(**kwargs)

    def sealer_process() -> subprocess.Popen:
        """The sealer as production runs it: its own process (beat's worker), every AUDIT_SEAL_EVERY seconds."""
        return subprocess.Popen([sys.executable, "manage.py", "audit_seal", "--every", str(settings.AUDIT_SEAL_EVERY)],
                                cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL)

    def lags(committed: list[tuple[int, float]], first_serial: int) -> list[float]:
        """Commit of each write -> signing of the first head whose tree covers its leaf."""
        heads = list(AuditSignedHead.objects.filter(serial__gt=first_serial).order_by("serial")
                     .values_list("signed_at", "trees"))
        per_tree: dict[int, tuple[list[int], list[float]]] = {}
        for signed_at, trees in heads:
            for tree, size, _root in trees:
                sizes, times = per_tree.setdefault(tree, ([], []))
                sizes.append(size)
                times.append(signed_at.timestamp())
        where = dict((e, (t, i)) for e, t, i in AuditLeaf.objects.filter(event_id__in=[e for e, _ in committed])
                     .values_list("event_id", "tree", "index"))
        out = []
        for event_id, done in committed:
            tree, index = where[event_id]
            sizes, times = per_tree[tree]
            out.append(times[bisect.bisect_right(sizes, index)] - done)
        return out

    def receipt(mode: str, awc_id: int):
        """One receipt, and its event when audited (or chained); the event written when audited, else None."""
        with transaction.atomic():
            made = SubmissionReceipt.objects.create(client_uuid=uuid.uuid4(), kind="bench", user=worker)
            if mode == "audited":
                return audit_record(actor=worker, action="create", obj=made, awc_id=awc_id)
            if mode == "chained":
                chained_record(actor=worker, action="create", obj=made, awc_id=awc_id)
        return None

    write = _registration(worker, awc_ids) if args.write == "registration" else receipt
    seal_all()

    def run(mode: str, writers: int, seconds: float) -> dict:
        committed: list[list[tuple[int, float]]] = [[] for _ in range(writers)]
        counts = [0] * writers

        def writer(n: int, stop: threading.Event) -> None:
            try:
                while not stop.is_set():
                    event = write(mode, awc_ids[(n * 7919 + counts[n]) % len(awc_ids)])
                    if event is not None:  # its id may be known only after the commit (poshan.core.pgsession)
                        committed[n].append(((event.object_type, event.object_id), time.time()))
                    counts[n] += 1
            finally:
                connections.close_all()

        first_serial = AuditSignedHead.objects.aggregate(m=Max("serial"))["m"] or 0
        elapsed = in_threads(writer, writers, seconds=seconds)
        out = {"mode": mode, "writers": writers, "writes": sum(counts), "seconds": elapsed,
               "per_s": sum(counts) / elapsed}
        if mode == "audited":
            written = _event_ids([c for per in committed for c in per])
            deadline = time.monotonic() + 120
            while sealer and time.monotonic() < deadline and \
                    AuditLeaf.objects.filter(event_id__in=[e for e, _ in written[-200:]]).count() < min(200, len(written)):
                time.sleep(0.5)
            if not sealer:
                seal_all()
            unsealed = len(written) - AuditLeaf.objects.filter(event_id__in=[e for e, _ in written]).count()
            lag = lags(written, first_serial) if not unsealed else [float("nan")]
            out.update(lag_p50=percentile(lag, 50), lag_p95=percentile(lag, 95), lag_max=max(lag), unsealed=unsealed,
                       heads=AuditSignedHead.objects.filter(serial__gt=first_serial).count())
        return out

    sealer = None if args.no_sealer else sealer_process()  # started once, ready before the first run
    time.sleep(8)
    print(f"load average before: {os.getloadavg()}")
    results = []
    try:
        for writers in args.writers:
            for _round in range(args.rounds):
                for mode in ("off", "audited"):
                    result = run(mode, writers, args.seconds / args.rounds)
                    results.append(result)
                    print(result, f"load {os.getloadavg()[0]:.2f}", flush=True)
            if write is receipt:  # the former chain's row is of the receipt
                results.append(run("chained", writers, args.seconds / args.rounds))
                print(results[-1], flush=True)
    finally:
        if sealer:
            sealer.terminate()
            sealer.wait()
    print(f"load average after: {os.getloadavg()}")
    print(f"\nwrite: {args.write}")
    print("\n| writers | off (writes/s) | audited (writes/s) | ratio | former chain (writes/s) | ratio | lag p50 / p95 / "
          "max (s) | unsealed |")
    print("|---|---|---|---|---|---|---|---|")
    for writers in args.writers:
        off, audited = (_summed([r for r in results if r["writers"] == writers and r["mode"] == mode])
                        for mode in ("off", "audited"))
        chained_runs = [r for r in results if r["writers"] == writers and r["mode"] == "chained"]
        chained_per_s = _summed(chained_runs)["per_s"] if chained_runs else None
        chained = f"{chained_per_s:.0f} | {chained_per_s / off['per_s']:.2f}" if chained_runs else "– | –"
        print(f"| {writers} | {off['per_s']:.0f} | {audited['per_s']:.0f} | {audited['per_s'] / off['per_s']:.2f} | "
              f"{chained} | {audited['lag_p50']:.1f} / {audited['lag_p95']:.1f} / {audited['lag_max']:.1f} | "
              f"{audited['unsealed']} |")
    total = AuditEvent.objects.count()
    print(f"\nevents {total}, sealed {AuditLeaf.objects.count()}")


def _event_ids(written: list[tuple[tuple[str, str], float]]) -> list[tuple[int, float]]:
    """(event id, commit time) of each ((object type, object id), commit time) written: one event per object."""
    from poshan.core.models import AuditEvent

    ids = {}
    for otype in {key[0] for key, _ in written}:
        wanted = [key[1] for key, _ in written if key[0] == otype]
        for i in range(0, len(wanted), 5_000):
            ids.update(((otype, oid), pk) for pk, oid in AuditEvent.objects.filter(
                object_type=otype, object_id__in=wanted[i:i + 5_000]).values_list("pk", "object_id"))
    return [(ids[key], done) for key, done in written]


def _registration(worker, awc_ids: list[int]):
    """write(mode, awc_id): a child (a new name each time, across runs) registered through the service in a household
    of that centre; returns the event written when mode is "audited", else None (the registration's statement then
    carries no event: the service's insert_together given its rows without it, in this process only)."""
    from datetime import timedelta
    from types import SimpleNamespace

    from django.utils import timezone

    from anganwadi.models import Location
    from beneficiaries import services
    from beneficiaries.services.people import register as registering  # where the registration writes its rows
    from poshan.core.models import AuditEvent

    consent = services.ConsentInput(given_by="Head", purposes=("services",))
    households = {awc.pk: services.household_register(actor=worker, awc=awc, consent=consent,
                                                      data=services.HouseholdInput(head_name=f"Head {awc.pk}"))
                  for awc in Location.objects.filter(pk__in=awc_ids)}
    today = timezone.localdate()
    real = registering.insert_together
    event_table = AuditEvent._meta.db_table
    numbers = itertools.count()

    def unaudited(head, *, then, **kwargs):
        return real(head, then=lambda: [part for part in then() if event_table not in part.table], **kwargs)

    def register(mode: str, awc_id: int):
        number = next(numbers)
        registering.insert_together = real if mode == "audited" else unaudited  # modes never overlap
        person = services.beneficiary_register(
            actor=worker, household=households[awc_id], consent=consent,
            person=services.PersonInput(name=f"Child {number}", sex="MF"[number % 2],
                                        dob=today - timedelta(days=30 + number % 1500), enrol_as="child"))
        if mode != "audited":
            return None
        return SimpleNamespace(object_type=person._meta.label_lower, object_id=str(person.pk))

    return register


def _summed(runs: list[dict]) -> dict:
    """The slices of one mode as one run: writes over time summed, the lags of every audited slice."""
    out = {"per_s": sum(r["writes"] for r in runs) / sum(r["seconds"] for r in runs)}
    if "lag_p95" in runs[0]:
        out.update(lag_p50=max(r["lag_p50"] for r in runs), lag_p95=max(r["lag_p95"] for r in runs),
                   lag_max=max(r["lag_max"] for r in runs), unsealed=sum(r["unsealed"] for r in runs))
    return out


if __name__ == "__main__":
    main()
