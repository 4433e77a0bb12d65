"""The IMEI check: 15 digits, the last a Luhn check digit (pure, no database)."""
import pytest

from anganwadi.equipment.imei import imei_problem, is_valid_imei, luhn_check_digit, normalise

VALID = "490154203237518"  # the GSMA's worked example


def test_a_valid_imei_passes():
    assert is_valid_imei(VALID)


def test_spaces_and_dashes_between_groups_are_ignored():
    assert normalise("49-015420-323751-8") == VALID and is_valid_imei("49 015420 323751 8")


@pytest.mark.parametrize("last", "012345679")
def test_any_other_check_digit_fails(last):
    assert imei_problem(VALID[:-1] + last) == "check"


def test_the_check_digit_is_computed_from_the_first_fourteen():
    assert luhn_check_digit(VALID[:-1]) == "8"


@pytest.mark.parametrize("raw, problem", [(VALID[:-1], "length"), (VALID + "0", "length"), ("49015420323751A", "digits"),
                                          ("", "digits")])
def test_wrong_length_or_letters_are_named(raw, problem):
    assert imei_problem(raw) == problem
