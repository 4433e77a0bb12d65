"""Malnutrition cases at 5,000 AWCs: the worker's list, the supervisor's overdue view, the state's view and the
indicators answer in a fixed number of queries; the nightly cases step over every open case.

Run: .venv/bin/python bench/cases.py [--awcs 5000] [--cases-per-awc 4]
PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres); creates database poshan_bench_cases.
The world (state → 5 districts → 50 projects → 200 sectors → 25 AWCs each) and its cases are bulk-inserted with
the state the services would store; each case has its identification and assessment events, half a buddy mother.
"""
import argparse
import time
from datetime import timedelta

from _setup import django_setup, fresh_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--awcs", type=int, default=5000)
    parser.add_argument("--cases-per-awc", type=int, default=4)
    parser.add_argument("--missed-per-awc", type=int, default=1,
                        help="children flagged SAM by the nightly run whose case nobody opened (the first night)")
    args = parser.parse_args()
    django_setup(fresh_database("poshan_bench_cases"))

    from django.utils import timezone

    from _world import households, location_tree, page
    from anganwadi.services import staff_create
    from beneficiaries.models import Beneficiary
    from growth.cases import rules, services
    from growth.models import Case, CaseEvent, ChildStatus, Class, Measurement

    today = timezone.localdate()
    tree = location_tree(args.awcs)
    awcs = tree.awcs
    children = Beneficiary.objects.bulk_create(
        [Beneficiary(awc=a, household=h, name=f"Child {i}-{k}", sex="F", dob=today - timedelta(days=700 + k))
         for i, (a, h) in enumerate(zip(awcs, households(awcs))) for k in range(args.cases_per_awc)],
        batch_size=5000)
    cases, events = [], []
    for n, child in enumerate(children):
        a = child.awc
        opened = today - timedelta(days=n % 60)
        cases.append(Case(child=child, awc=a, sector_id=a.sector_id, project_id=a.project_id,
                          district_id=a.district_id, state_id=a.state_id,
                          category=rules.SAM if n % 3 == 0 else rules.MAM, opened_on=opened,
                          rules_version=rules.DEFAULT_RULES.version, status=rules.IN_TREATMENT, derived_on=opened))
    Case.objects.bulk_create(cases, batch_size=5000)
    for case in cases:
        events.append(CaseEvent(case=case, kind=rules.IDENTIFIED, date=case.opened_on, awc_id=case.awc_id,
                                payload={"category": case.category, "weight_kg": 8.0, "muac_cm": 11.2,
                                         "oedema": False}))
        events += [CaseEvent(case=case, kind=rules.APPETITE_TEST, date=case.opened_on, awc_id=case.awc_id,
                             payload={"result": rules.PASSED}),
                   CaseEvent(case=case, kind=rules.COMPLICATIONS, date=case.opened_on, awc_id=case.awc_id,
                             payload={"signs": []})]
        if case.child_id % 2:  # half have a buddy mother: her weekly visit is due, or overdue
            events.append(CaseEvent(case=case, kind=rules.BUDDY_MOTHER, date=case.opened_on, awc_id=case.awc_id,
                                    payload={"name": "Buddy"}))
    CaseEvent.objects.bulk_create(events, batch_size=10000)
    print(f"{len(awcs)} AWCs, {len(cases)} open cases, {len(events)} events")

    started = time.perf_counter()
    result = services.cases_nightly(run_date=today)
    print(f"cases_nightly over {len(cases)} open cases: {time.perf_counter() - started:.1f} s {result}")
    # Measurements that reached the table without the service (before cases existed, an import), flagged SAM by
    # the night's run: the nightly cases step opens their cases, one transaction each.
    flagged = Beneficiary.objects.bulk_create(
        [Beneficiary(awc=a, household_id=children[0].household_id, name=f"Flagged {i}-{k}", sex="M",
                     dob=today - timedelta(days=600)) for i, a in enumerate(awcs) for k in range(args.missed_per_awc)],
        batch_size=5000)
    measured = Measurement.objects.bulk_create(
        [Measurement(child=c, awc=c.awc, district_id=c.awc.district_id, date=today - timedelta(days=3),
                     weight_kg=7.5, muac_cm=11.0, acute=Class.SEVERE) for c in flagged], batch_size=5000)
    ChildStatus.objects.bulk_create(
        [ChildStatus(child=m.child, awc=m.awc, measurement=m, measured_on=m.date, acute=Class.SEVERE,
                     changed_on=today) for m in measured], batch_size=5000)
    started = time.perf_counter()
    result = services.cases_nightly(run_date=today)
    seconds = time.perf_counter() - started
    print(f"cases_nightly with {len(flagged)} missed cases to open: {seconds:.1f} s "
          f"({seconds * 1000 / max(1, result['opened']):.1f} ms a case opened) {result}")

    users = {
        "aww": staff_create(actor=None, username="b_aww", password="x-Bench-1234", role="aww", location=awcs[0]),
        "supervisor": staff_create(actor=None, username="b_sup", password="x-Bench-1234", role="supervisor",
                                   location=tree.sectors[0]),
        "dpo": staff_create(actor=None, username="b_dpo", password="x-Bench-1234", role="dpo",
                            location=tree.districts[0]),
        "state": staff_create(actor=None, username="b_state", password="x-Bench-1234", role="state",
                              location=tree.state[0]),
    }
    pages = [("aww", "/growth/cases/"), ("supervisor", "/growth/cases/"),
             ("supervisor", "/growth/cases/?show=overdue"), ("supervisor", "/growth/cases/?show=alerts&page=2"),
             ("dpo", "/growth/cases/"), ("state", "/growth/cases/"), ("state", "/growth/cases/indicators/")]
    for role, url in pages:
        try:
            status, queries, ms = page(users[role], url)
        except Exception as exc:  # noqa: BLE001 — report and go on to the next page
            print(f"{role:10} {url:40} failed: {type(exc).__name__}: {exc}")
            continue
        print(f"{role:10} {url:40} {status} {queries:3d} queries {ms:7.1f} ms")

if __name__ == "__main__":
    main()
