"""`manage.py rotate_keys`: everything re-encrypted under the new key, resumable when interrupted."""
from datetime import date
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from beneficiaries.models import Beneficiary, Household
from poshan.core import rotation
from poshan.core.models import KeyRotationCheckpoint
from tests.factories import make_household, make_person, valid_aadhaar


@pytest.fixture
def encrypted_rows(world):
    household = make_household(world.awc1, mobile="9988776655")
    people = [make_person(household, name=f"P{i}", dob=date(2024, 1, 1), enrol_as="child",
                          aadhaar=valid_aadhaar(100 + i)) for i in range(5)]
    return household, people


def test_rotation_moves_every_value_to_the_new_key(encrypted_rows, settings):
    household, people = encrypted_rows
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *old_keys]
    call_command("rotate_keys", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone: everything must still read
    assert Household.objects.get(pk=household.pk).mobile == "9988776655"
    assert [b.aadhaar for b in Beneficiary.objects.order_by("pk")] == [p.aadhaar for p in people]


def test_interrupted_rotation_resumes_from_its_checkpoint(encrypted_rows, settings, monkeypatch):
    _, people = encrypted_rows
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    monkeypatch.setattr(rotation, "ROTATION_BATCH", 2)
    calls = {"n": 0}
    real_rotate = rotation.crypto.rotate

    def failing_rotate(token):
        calls["n"] += 1
        if calls["n"] == 3:  # the first row of the second batch
            raise RuntimeError("power cut")
        return real_rotate(token)

    monkeypatch.setattr(rotation.crypto, "rotate", failing_rotate)
    with pytest.raises(RuntimeError):
        rotation.rotate_model(Beneficiary)
    checkpoint = KeyRotationCheckpoint.objects.get(model_label="beneficiaries.Beneficiary")
    assert checkpoint.last_pk == people[1].pk and not checkpoint.done
    monkeypatch.setattr(rotation.crypto, "rotate", real_rotate)
    call_command("rotate_keys", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert [b.aadhaar for b in Beneficiary.objects.order_by("pk")] == [p.aadhaar for p in people]
