"""Aadhaar and mobile checks: Verhoeff, shape, and messages a worker understands."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from beneficiaries.aadhaar import (InvalidNumber, normalize_aadhaar, normalize_mobile, verhoeff_check_digit,
                                   verhoeff_valid)


def test_verhoeff_known_vector():
    # The textbook example: 236 → check digit 3.
    assert verhoeff_check_digit("236") == "3"
    assert verhoeff_valid("2363")
    assert not verhoeff_valid("2364")


def test_valid_aadhaar_is_accepted_with_spaces_or_dashes():
    body = "23456789012"
    number = body + verhoeff_check_digit(body)
    assert normalize_aadhaar(f"{number[:4]} {number[4:8]} {number[8:]}") == number
    assert normalize_aadhaar(f"{number[:4]}-{number[4:8]}-{number[8:]}") == number


@pytest.mark.parametrize("raw, message", [
    ("12345", "exactly 12 digits"),
    ("23456789012A", "exactly 12 digits"),
    ("123456789012", "never starts with 0 or 1"),
    ("234567890120", "not valid"),
])
def test_invalid_aadhaar_messages(raw, message):
    body = raw[:11]
    if message == "not valid":
        wrong = str((int(verhoeff_check_digit(body)) + 1) % 10)
        raw = body + wrong
    with pytest.raises(InvalidNumber, match=message):
        normalize_aadhaar(raw)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(0, 10), st.integers(1, 9))
def test_every_single_digit_error_is_caught(body, position, delta):
    number = body + verhoeff_check_digit(body)
    wrong = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    assert verhoeff_valid(number)
    assert not verhoeff_valid(wrong)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(0, 10))
def test_adjacent_transpositions_are_caught(body, position):
    number = body + verhoeff_check_digit(body)
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2:]
    if swapped != number:
        assert not verhoeff_valid(swapped)


@pytest.mark.parametrize("raw, expected", [
    ("9876543210", "9876543210"), ("+91 98765 43210", "9876543210"), ("09876543210", "9876543210"),
    ("919876543210", "9876543210"),
])
def test_mobile_normalized(raw, expected):
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "5876543210", "98765432101", "98765abcde"])
def test_malformed_mobile_refused(raw):
    with pytest.raises(InvalidNumber, match="10 digits"):
        normalize_mobile(raw)
