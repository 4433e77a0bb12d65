"""Property tests for the validators that guard personal numbers (the z-score engine's properties — no crash on
any input, monotone in weight for a fixed age and length — are in tests/growth/test_zscores.py:
test_any_input_scores_without_crash_and_flags_follow_z, test_waz_monotone_in_weight, test_whz_monotone_in_weight;
the Verhoeff error-detection properties in tests/beneficiaries/test_aadhaar.py)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from beneficiaries.aadhaar import InvalidNumber, normalize_aadhaar, normalize_mobile, verhoeff_valid

DIGITISH = st.text(alphabet=st.sampled_from("0123456789 -+٠१२३४५६७८९abcx\t\n"), max_size=20)
# Twelve characters that Python calls digits: ASCII, Devanagari (a Hindi keyboard), superscripts ("²".isdigit()).
ODD_DIGITS = st.text(alphabet=st.sampled_from("0123456789²³¹०१२३४५६७८९"), min_size=10, max_size=12)
DEVANAGARI = "०१२३४५६७८९"


def test_digits_typed_on_a_hindi_keyboard_are_read_as_the_same_number():
    from beneficiaries.aadhaar import verhoeff_check_digit

    number = "23456789012" + verhoeff_check_digit("23456789012")
    assert normalize_aadhaar("".join(DEVANAGARI[int(c)] for c in number)) == number
    assert normalize_mobile("९८७६५४३२१०") == "9876543210"


def test_superscripts_are_not_digits():
    for raw in ("2²3456789012", "9²76543210"):
        try:
            normalize_aadhaar(raw) if len(raw) == 12 else normalize_mobile(raw)
        except InvalidNumber:
            continue
        raise AssertionError(f"{raw!r} accepted")


@given(st.one_of(st.text(max_size=30), DIGITISH, ODD_DIGITS))
def test_aadhaar_validator_accepts_only_valid_numbers_and_never_crashes(raw):
    try:
        number = normalize_aadhaar(raw)
    except InvalidNumber as exc:
        digits = "".join(ch for ch in raw if ch.isdigit())
        assert len(digits) < 4 or digits not in str(exc), "the message must not repeat the number"
        return
    assert len(number) == 12 and number.isascii() and number.isdigit()
    assert number[0] not in "01" and verhoeff_valid(number)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11).filter(lambda b: b[0] not in "01"))
def test_every_valid_aadhaar_is_accepted_in_any_usual_spelling(body):
    from beneficiaries.aadhaar import verhoeff_check_digit

    number = body + verhoeff_check_digit(body)
    for spelled in (number, f"{number[:4]} {number[4:8]} {number[8:]}", f"{number[:4]}-{number[4:8]}-{number[8:]}"):
        assert normalize_aadhaar(spelled) == number


@given(st.one_of(st.text(max_size=20), DIGITISH, ODD_DIGITS))
def test_mobile_validator_gives_ten_digits_or_a_clear_refusal(raw):
    try:
        mobile = normalize_mobile(raw)
    except InvalidNumber:
        return
    assert len(mobile) == 10 and mobile.isascii() and mobile.isdigit() and mobile[0] in "6789"
