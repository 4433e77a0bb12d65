"""Field encryption and blind indexes."""
import pytest
from cryptography.fernet import Fernet

from poshan.core import crypto
from poshan.core.masking import mask_aadhaar, mask_mobile


def test_round_trip_and_no_plain_text(settings):
    token = crypto.encrypt(b"234567890124")
    assert b"234567890124" not in token
    assert crypto.decrypt(token) == b"234567890124"


def test_old_key_still_reads_after_a_new_key_is_added_and_rotate_moves_to_new(settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    token = crypto.encrypt(b"9876543210")
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(token) == b"9876543210"
    assert not crypto.is_current(token)
    rotated = crypto.rotate(token)
    assert crypto.is_current(rotated)
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert crypto.decrypt(rotated) == b"9876543210"
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(token)


def test_blind_index_is_keyed_and_stable(settings):
    first = crypto.blind_index("234567890124", purpose="aadhaar")
    assert first == crypto.blind_index("234567890124", purpose="aadhaar")
    assert first != crypto.blind_index("234567890124", purpose="mobile")
    settings.BLIND_INDEX_KEY = "another-key"
    assert first != crypto.blind_index("234567890124", purpose="aadhaar")


def test_masks_show_only_last_four():
    assert mask_aadhaar("234567890124") == "XXXX XXXX 0124"
    assert mask_mobile("9876543210") == "XXXXXX3210"
    assert mask_aadhaar("") == ""
