"""The audit log under concurrent writers: audited writes against the same writes unaudited, and the sealing lag.

Run: .venv/bin/python bench/audit.py [--seconds 15] [--writers 16 64]
PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres); creates database poshan_bench_audit.

A "write" is one transaction: a row inserted (a SubmissionReceipt, as a queued submission leaves) and, when audited,
the audit event of it (poshan.core.audit.audit_record). Each mode runs for --seconds with N writer threads (own
connections), in one run, in this order per N:
  off      the same transaction without the audit event (the floor);
  audited  audit_record as it is: one INSERT, no lock; the sealer (audit_tree.seal_once) runs meanwhile every
           AUDIT_SEAL_EVERY seconds, as beat runs it;
  chained  (for the record) the former write path: pg_advisory_xact_lock(7100001) + read of the last hash + INSERT.
Lag: from a write's commit to the commit of the sealing round that put it under a signed head (goal <= 10 s).
"""
from __future__ import annotations

import argparse
import os
import threading
import time
import uuid

from _setup import django_setup, fresh_database, percentile


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--writers", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--no-sealer", action="store_true", help="diagnosis: audited writes with no sealer running")
    args = parser.parse_args()
    django_setup(fresh_database("poshan_bench_audit"))

    from django.conf import settings
    from django.db import connection, connections, transaction

    from anganwadi.models import Location
    from poshan.core.audit import audit_record
    from poshan.core.audit_tree import seal_all, seal_once
    from poshan.core.models import AuditEvent, AuditLeaf, SubmissionReceipt, User
    from poshan.demo.world import build_locations, build_users

    awcs = build_locations()
    build_users(awcs)
    worker = User.objects.get(username="aww_demo")
    awc_ids = list(Location.objects.filter(level="awc").values_list("pk", flat=True)[:200])
    seal_all()

    def chained_record(**kwargs):
        with transaction.atomic(savepoint=False):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(7100001)")
            AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
            return audit_record(**kwargs)

    def run(mode: str, writers: int) -> dict:
        stop = threading.Event()
        committed: list[list[tuple[int, float]]] = [[] for _ in range(writers)]
        counts = [0] * writers
        sealed_at: dict[int, float] = {}
        rounds = []

        def writer(n: int) -> None:
            try:
                k = 0
                while not stop.is_set():
                    awc_id = awc_ids[(n * 7919 + k) % len(awc_ids)]
                    with transaction.atomic():
                        receipt = SubmissionReceipt.objects.create(client_uuid=uuid.uuid4(), kind="bench", user=worker)
                        event = None
                        if mode == "audited":
                            event = audit_record(actor=worker, action="create", obj=receipt, awc_id=awc_id)
                        elif mode == "chained":
                            event = chained_record(actor=worker, action="create", obj=receipt, awc_id=awc_id)
                    if event is not None and mode == "audited":
                        committed[n].append((event.pk, time.time()))
                    counts[n] += 1
                    k += 1
            finally:
                connections.close_all()

        def sealer() -> None:
            try:
                while not stop.is_set() or rounds_pending():
                    started = time.monotonic()
                    result = seal_once()
                    done = time.time()
                    rounds.append((len(result.sealed), time.monotonic() - started))
                    for event_id in result.sealed:
                        sealed_at[event_id] = done
                    if stop.is_set():
                        continue
                    stop.wait(max(0.0, settings.AUDIT_SEAL_EVERY - (time.monotonic() - started)))
            finally:
                connections.close_all()

        def rounds_pending() -> bool:
            return any(event_id not in sealed_at for per in committed for event_id, _ in per[-1:])

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
        seal_thread = threading.Thread(target=sealer) if mode == "audited" and not args.no_sealer else None
        if seal_thread:
            seal_thread.start()
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        out = {"mode": mode, "writers": writers, "writes": sum(counts), "per_s": sum(counts) / elapsed}
        if mode == "audited":
            if seal_thread:
                seal_thread.join()
            else:
                sealer()
            seal_all()
            lags = [sealed_at[e] - t for per in committed for e, t in per if e in sealed_at]
            missing = sum(1 for per in committed for e, _ in per if e not in sealed_at)
            out.update(lag_p50=percentile(lags, 50), lag_p95=percentile(lags, 95), lag_max=max(lags), unsealed=missing,
                       rounds=len(rounds), round_max_s=max(r[1] for r in rounds),
                       round_max_events=max(r[0] for r in rounds))
        return out

    print(f"load average before: {os.getloadavg()}")
    results = []
    for writers in args.writers:
        for mode in ("off", "audited", "chained"):
            result = run(mode, writers)
            results.append(result)
            print(result, f"load {os.getloadavg()[0]:.2f}", flush=True)
    print(f"load average after: {os.getloadavg()}")
    print("\n| writers | off (writes/s) | audited (writes/s) | ratio | former chain (writes/s) | ratio | lag p50 / p95 / "
          "max (s) | unsealed |")
    print("|---|---|---|---|---|---|---|---|")
    for writers in args.writers:
        by = {r["mode"]: r for r in results if r["writers"] == writers}
        off, audited, chained = by["off"], by["audited"], by["chained"]
        print(f"| {writers} | {off['per_s']:.0f} | {audited['per_s']:.0f} | {audited['per_s'] / off['per_s']:.2f} | "
              f"{chained['per_s']:.0f} | {chained['per_s'] / off['per_s']:.2f} | {audited['lag_p50']:.1f} / "
              f"{audited['lag_p95']:.1f} / {audited['lag_max']:.1f} | {audited['unsealed']} |")
    total = AuditEvent.objects.count()
    print(f"\nevents {total}, sealed {AuditLeaf.objects.count()}")


if __name__ == "__main__":
    main()
