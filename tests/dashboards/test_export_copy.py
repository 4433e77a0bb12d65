"""On PostgreSQL, CSV exports are written by `COPY … TO STDOUT`: byte for byte the Python writer's file, same scope.

Run against PostgreSQL (skipped on SQLite, where the Python writer is the only path):
DATABASE_URL=postgres://postgres@127.0.0.1:5432/poshan_exports .venv/bin/pytest tests/dashboards -k export -q
"""
import csv
import io
import math
import random
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from anganwadi.models import Location
from beneficiaries.models import Beneficiary
from growth.models import ChildStatus
from growth.services import measurement_record
from growth.tasks import run_nightly
from growth.zscores import round_z
from poshan.core.models import AuditEvent
from poshan.core.roles import Level
from poshan.dashboards.exports import copycsv, service
from poshan.dashboards.exports.copycsv import copy_csv, neutralised, two_decimals
from poshan.dashboards.exports.kinds import KINDS, postgres_writes
from poshan.dashboards.exports.writer import neutralise, write_csv
from poshan.dashboards.models import AreaMonth, ExportJob
from tests.factories import LocationFactory, make_household, make_person
from thr_frs.models import OverrideRequest, ThrDistribution

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

NOV = date(2026, 11, 1)
TRICKY_NAMES = ["=cmd", "+91 98123", "-abc", "@SUM(A1)", "\t=1", "\r=1", "आंगनवाड़ी केंद्र ३", 'Ram, "Shyam"', "-1.25",
                "-१२.५", "+٣", "-１２", "line\nbreak", "a=b", " =1", "\\.", "", "-", "=", "-1.", "+.5"]
# Floats whose two-decimal text depends on how they are rounded (ties, binary near-ties, negative zero).
ROUNDING = [0.125, -0.125, 1.005, 2.675, -0.001, -0.0, 0.005, 1e-9, -3.14159, 10.995, 0.015, -2.345, 7.0]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 04:00:00+00:00", tick=False):
        yield


def _handover(person, user, at: datetime, failed: int = 0) -> ThrDistribution:
    override = OverrideRequest.objects.create(beneficiary=person, awc_id=person.awc_id, month=NOV, quantity=2,
                                              reason="Mother away", status="approved", requested_by=user,
                                              decided_by=user)
    return ThrDistribution.objects.create(beneficiary=person, awc_id=person.awc_id, month=NOV, quantity=2,
                                          handed_over_by=user, handed_over_at=at, verified_by="override",
                                          override=override, failed_matches=failed)


@pytest.fixture
def seeded(world, users):
    """Children in two districts with crafted z-scores and NULLs, hand-overs around midnight in India, AWCs with
    names a spreadsheet would evaluate (or that need quoting), and their month's summary rows."""
    kids = []
    for i, awc in enumerate([world.awc1, world.awc1, world.awc2, world.awc3, world.awc6] * 3):
        kid = make_person(make_household(awc), name=f"Kid {i}", sex="MF"[i % 2], dob=date(2024, 1 + i % 12, 5),
                          enrol_as="child")
        lenhei = None if i % 4 == 3 else Decimal("80.0") + i
        measurement_record(actor=users.aww, child=kid, date=date(2026, 11, 1 + i), weight_kg=Decimal("9.25") + i % 3,
                           lenhei_cm=lenhei, measure="l" if lenhei else "", muac_cm=Decimal("13.5") if i % 2 else None)
        kids.append(kid)
    run_nightly("2026-11-27")
    for kid, z in zip(kids, ROUNDING, strict=False):
        ChildStatus.objects.filter(pk=kid.pk).update(waz=z, haz=-z, whz=None if z == 7.0 else z / 3)
    Beneficiary.objects.filter(pk=kids[-1].pk).update(dob=date(2026, 12, 25))  # a birth date typed after the weighing
    for kid, (hour, minute, second) in zip(kids, [(18, 29, 59), (18, 30, 0), (18, 45, 0), (0, 0, 0), (23, 59, 59)]
                                                 * 3, strict=False):
        _handover(kid, users.aww, datetime(2026, 11, 19, hour, minute, second, tzinfo=UTC),
                  failed=kid.pk % 3)
    for i, name in enumerate(TRICKY_NAMES):
        awc = LocationFactory(level=Level.AWC, parent=world.sector1 if i % 2 else world.sector5, name=name)
        AreaMonth.objects.create(month=NOV, level=Level.AWC, location=awc, parent=awc.parent, days_open=20 + i,
                                 attendance_total=100 * i, beneficiaries=i)
    return kids


def _scope(user):
    return service.scope_for(user=user, location=None, month_from=NOV, month_to=NOV)


def _both(kind_key: str, user) -> bytes:
    kind, scope = KINDS[kind_key], _scope(user)
    python = io.BytesIO()
    rows = write_csv(python, kind.headers, kind.rows(scope))
    copied = io.BytesIO()
    assert postgres_writes(kind, "csv", scope)
    assert copy_csv(copied, kind.headers, kind.sql, scope) == rows
    assert copied.getvalue() == python.getvalue()
    return python.getvalue()


def test_thr_export_is_the_python_files_bytes_with_days_in_india(seeded, users):
    body = _both("thr", users.ministry).decode("utf-8-sig")
    assert body.count("\r\n") == 16  # header and 15 hand-overs, CRLF as csv writes them
    days = [line.split(",")[5] for line in body.splitlines()[1:]]
    # 18:29:59 UTC is 23:59:59 in India; 18:30 is the next day there
    assert {"2026-11-19", "2026-11-20"} <= set(days) and ",override," in body


def test_children_export_is_the_python_files_bytes_with_rounding_and_empty_cells(seeded, users):
    body = _both("children", users.ministry).decode("utf-8-sig")
    assert len(body.splitlines()) == 16
    for z in ROUNDING:
        assert f",{z:.2f}," in body
    assert ",-0.00," in body and ",,," in body  # a negative zero as Python writes it; NULL heights and MUACs


def test_summary_export_neutralises_and_quotes_names_as_python_does(seeded, users):
    body = _both("summary", users.ministry).decode("utf-8-sig")
    for expected in ("'=cmd", "'+91 98123", "'-abc", "'@SUM(A1)", '"\'\r=1"', '"Ram, ""Shyam"""', ",-1.25,",
                     ",-१२.५,", ",+٣,", ",-１２,", '"line\nbreak"', "आंगनवाड़ी केंद्र ३", ",'-,", ",'=,", "'-1.,", "'+.5,"):
        assert expected in body, expected


def test_a_district_officers_copy_export_has_only_her_districts_rows(seeded, world, users):
    district1 = set(Location.objects.filter(district=world.district1, level=Level.AWC).values_list("code", flat=True))
    for kind in ("thr", "children", "summary"):
        rows = list(csv.reader(io.StringIO(_both(kind, users.dpo).decode("utf-8-sig"))))[1:]
        codes = {int(row[1]) for row in rows}  # awc_code is the second column of all three
        assert codes and codes <= district1, kind
    nation = _both("thr", users.ministry)
    assert len(nation.splitlines()) > len(_both("thr", users.dpo).splitlines())


def test_the_page_streams_the_copy_output_and_audits(seeded, world, users, login):
    client = login(users.dpo)
    response = client.post(reverse("dashboards:export"), {"kind": "children", "file_format": "csv",
                                                           "month_from": "2026-11", "month_to": "2026-11"})
    assert b"".join(response.streaming_content) == _both("children", users.dpo)
    assert AuditEvent.objects.filter(actor=users.dpo, action="export", object_type="export:children").exists()


def test_a_job_writes_the_file_with_copy_in_chunks(seeded, users, login, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    monkeypatch.setattr(service, "STREAM_LIMIT", 0)
    monkeypatch.setattr(copycsv, "CHUNK_BYTES", 256)
    monkeypatch.setattr(copycsv, "PROGRESS_EVERY", 2)  # progress while COPY holds its connection: written beside it
    client = login(users.ministry)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dashboards:export"), {"kind": "thr", "file_format": "csv", "month_from": "2026-11",
                                                   "month_to": "2026-11"})
    job = ExportJob.objects.get()
    assert job.status == "done" and job.rows_done == 15
    assert (service.export_dir() / job.file_name).read_bytes() == _both("thr", users.ministry)
    pieces = []
    copy_csv(type("Target", (), {"write": staticmethod(pieces.append)}), ("a",), KINDS["thr"].sql,
             _scope(users.ministry))
    assert len(pieces) > 3 and max(len(p) for p in pieces[1:]) < 256 + 200  # fixed-size pieces, not the file


def _sql_values(expression: str, values: list[str], sql_type: str) -> list:
    """The expression over each value, sent as text (a float keeps its sign of zero and every digit)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expression.format(f'x::{sql_type}')} FROM unnest(%s::text[]) WITH ORDINALITY "
                       "AS t(x, n) ORDER BY n", [values])
        return [row[0] for row in cursor.fetchall()]


def test_two_decimals_in_sql_round_as_python_formats(db):
    rng = random.Random(20)
    values = ROUNDING + [rng.uniform(-8, 8) for _ in range(3000)] + [round(rng.uniform(-8, 8), 3) for _ in range(3000)]
    values += [k / 1000 + 0.005 for k in range(-3000, 3000, 7)] + [k / 8 for k in range(-64, 64)]
    assert all(math.isfinite(v) for v in values)
    assert _sql_values(two_decimals("{0}"), [repr(v) for v in values], "float8") == [str(Decimal(f"{v:.2f}")) for v in values]


def test_two_decimals_in_sql_write_stored_z_scores_and_their_neighbours_as_python(db):
    """The short path for floats already rounded to two decimals (as the z-scores are stored), its edges, and the
    floats one step either side of them, which must take the long path and still round as Python does."""
    rng = random.Random(21)
    stored = list(round_z(np.array([rng.uniform(-12, 12) for _ in range(3000)])))
    stored += [k / 100 for k in range(-700, 701)] + [0.0, -0.0, 0.01, -0.01, 0.005, 0.015]
    stored += [rng.randrange(-10**14, 10**14) / 100 for _ in range(2000)]  # up to 1e12 (the long path from there)
    stored += [999_999_999_999.99, 1e12, 1e12 + 0.01, -1e12 - 0.01, 0.07, 0.29, 0.57, 1.15]
    values = [float(v) for v in stored]
    values += [math.nextafter(v, direction) for direction in (math.inf, -math.inf) for v in values[:4000]]
    written = _sql_values(two_decimals("{0}"), [repr(v) for v in values], "float8")
    assert written == [str(Decimal(f"{v:.2f}")) for v in values]


def test_neutralise_in_sql_is_the_python_rule_with_unicode_digits(db):
    values = TRICKY_NAMES + ["-٠", "+0", "-0.5.5", "-1e5", "+ 1", "-12a", "@", "\t", "\r", "-๑๒", "-߁", "-1.٢"]
    assert _sql_values(neutralised("{0}"), values, "text") == [neutralise(v) or None for v in values]
    choices = ("F", "M", "O", "a=b")  # passed through untested; every other value still gets the test
    assert _sql_values(neutralised("{0}", choices), [*choices, *values], "text") == [
        neutralise(v) or None for v in [*choices, *values]]
    for unsafe in (("F", "=M"), ("",)):
        with pytest.raises(ValueError):
            neutralised("{0}", unsafe)
