"""Importing locations: a NUL byte, an invisible name, a right-to-left override or non-ASCII digits in a code are
reported with their line numbers before anything is saved, and nothing is imported."""
import pytest

from anganwadi.models import Location
from anganwadi.services import locations_import_csv

HEADER = ("state_code,state_name,district_code,district_name,project_code,project_name,sector_code,sector_name,"
          "awc_code,awc_name\n")
GOOD_ROW = "9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,1620101,Sector A,162010101,Gausganj 1\n"


@pytest.mark.parametrize("bad_row,says", [
    ("9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,1620101,Sector A,162010102,Gaus\x00ganj\n", "awc_name"),
    ("9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,1620101,Sector A,162010102,\u200b\u200c\u2060\n", "awc_name"),
    ("9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,1620101,Sector A,162010102,Gaus\u202eganj\n", "awc_name"),
    ("9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,1620101,Sector A,१६२०१०१०२,Gausganj 2\n", "awc_code"),
    ("9,Uttar Pradesh,162,Lucknow,16201,Mohanlalganj,१६२०१०१,Sector A,162010102,Gausganj 2\n", "sector_code"),
])
def test_a_nonsense_row_is_reported_by_line_and_nothing_is_imported(bad_row, says, db):
    report = locations_import_csv(actor=None, text=HEADER + GOOD_ROW + bad_row)
    assert [line for line, _ in report.errors] == [3]
    assert says in report.errors[0][1]
    assert not Location.objects.exists()
