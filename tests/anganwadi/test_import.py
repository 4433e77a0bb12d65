"""Importing the location hierarchy from CSV: all or nothing, line numbers, idempotent."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from anganwadi.models import Location
from anganwadi.services import locations_import_csv

HEADER = "state_code,state_name,district_code,district_name,project_code,project_name,sector_code,sector_name,awc_code,awc_name,is_aspirational\n"
GOOD = HEADER + (
    "9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,1620101,Sector A,162010101,Gausganj 1,no\n"
    "9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,1620101,Sector A,162010102,Gausganj 2,no\n"
    "9,Uttar Pradesh,170,Bahraich,17001,Mihinpurwa,1700101,Sector B,170010101,Motipur 1,yes\n"
)


@pytest.fixture
def good_csv(tmp_path):
    path = tmp_path / "locations.csv"
    path.write_text(GOOD)
    return path


def test_good_file_builds_the_tree_with_ancestor_ids(db, good_csv):
    call_command("import_locations", str(good_csv))
    assert Location.objects.filter(level="awc").count() == 3
    awc = Location.objects.get(level="awc", code=170010101)
    assert (awc.state.code, awc.district.code, awc.project.code, awc.sector.code) == (9, 170, 17001, 1700101)
    assert awc.is_aspirational is True
    assert Location.objects.get(code=162010102).is_aspirational is False


def test_reimport_changes_nothing(db, good_csv):
    call_command("import_locations", str(good_csv))
    before = list(Location.objects.order_by("pk").values())
    report = locations_import_csv(actor=None, text=GOOD)
    assert (report.created, report.updated, report.errors) == (0, 0, [])
    assert list(Location.objects.order_by("pk").values()) == before


def test_renamed_awc_is_updated_in_place(db):
    locations_import_csv(actor=None, text=GOOD)
    report = locations_import_csv(actor=None, text=GOOD.replace("Gausganj 2", "Gausganj Two"))
    assert (report.created, report.updated) == (0, 1)
    assert Location.objects.get(code=162010102).name == "Gausganj Two"


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_imported(db, tmp_path):
    bad = GOOD + (
        "9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,1620101,Sector A,abc,Broken,no\n"
        "9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,1620101,,162010109,No sector name,no\n"
        "9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,1620101,Sector A,162010110,Bad flag,maybe\n"
    )
    report = locations_import_csv(actor=None, text=bad)
    assert [line for line, _ in report.errors] == [5, 6, 7]
    assert "awc_code 'abc'" in report.errors[0][1]
    assert "sector_name is empty" in report.errors[1][1]
    assert Location.objects.count() == 0
    path = tmp_path / "bad.csv"
    path.write_text(bad)
    with pytest.raises(CommandError, match="3 bad row"):
        call_command("import_locations", str(path))
    assert Location.objects.count() == 0


def test_code_under_two_parents_in_one_file_is_refused(db):
    clash = GOOD + "9,Uttar Pradesh,170,Bahraich,17001,Mihinpurwa,1620101,Sector A,170010109,Clash,no\n"
    report = locations_import_csv(actor=None, text=clash)
    assert report.errors and report.errors[0][0] == 5
    assert Location.objects.count() == 0


def test_code_moving_to_another_parent_is_refused_and_rolled_back(db):
    locations_import_csv(actor=None, text=GOOD)
    moved = HEADER + "9,Uttar Pradesh,170,Bahraich,17001,Mihinpurwa,1700101,Sector B,162010101,Gausganj 1,no\n" \
        + "9,Uttar Pradesh,170,Bahraich,17001,Mihinpurwa,1700101,Sector B,170010199,Brand new,no\n"
    report = locations_import_csv(actor=None, text=moved)
    assert report.errors[0][0] == 2 and "another parent" in report.errors[0][1]
    assert not Location.objects.filter(code=170010199).exists()


def test_missing_columns_are_named(db):
    report = locations_import_csv(actor=None, text="state_code,state_name\n9,UP\n")
    assert report.errors[0][0] == 1 and "district_code" in report.errors[0][1]
