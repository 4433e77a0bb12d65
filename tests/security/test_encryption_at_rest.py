"""Encryption at rest: Aadhaar, mobile numbers, IMEIs and face encodings are Fernet tokens in their columns, no
plain copy of them lies anywhere in the database, and `manage.py rotate_keys` moves every encrypted column of
every model to a new key while the old one still reads during the switch."""
from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from poshan.core import crypto
from poshan.core.fields import EncryptedBinaryField, encrypted_fields
from poshan.core.models import KeyRotationCheckpoint
from poshan.core.rotation import models_with_encrypted_fields
from thr_frs.models import FaceEnrolment

from .world import SEEDED, build_world

FERNET_PREFIX = b"gAAAAA"  # version byte 0x80 + timestamp, base64


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return build_world(tmp_path)


def _raw_rows(model) -> list[tuple]:
    qn = connection.ops.quote_name
    columns = [f.column for f in encrypted_fields(model)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(model._meta.db_table)}")
        return cursor.fetchall()


def _as_bytes(value) -> bytes:
    if isinstance(value, str):
        return value.encode()
    return bytes(value)


def _plain_values() -> dict[str, str]:
    return {name: value for name, value in vars(SEEDED).items() if name.startswith(("aadhaar", "mobile", "imei"))}


def _every_cell_of_every_table():
    """(table, column, value as text) for the whole database: a plain copy anywhere would be found."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(table)}")
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        text = bytes(value).decode("latin-1") if isinstance(value, (bytes, memoryview)) else str(value)
                        yield table, column, text


def test_every_encrypted_column_holds_only_fernet_tokens(seeded):
    models = {m._meta.label for m in models_with_encrypted_fields()}
    assert {"beneficiaries.Beneficiary", "beneficiaries.Household", "anganwadi.Device",
            "thr_frs.FaceEnrolment"} <= models
    for model in models_with_encrypted_fields():
        rows = [value for row in _raw_rows(model) for value in row if value not in (None, "")]
        assert rows, f"{model._meta.label}: the seeded world should have encrypted values"
        for value in rows:
            raw = _as_bytes(value)
            assert raw.startswith(FERNET_PREFIX), f"{model._meta.label}: a column value is not a Fernet token"
            crypto.decrypt(raw)  # and the application's key reads it


def test_no_plain_aadhaar_mobile_or_imei_anywhere_in_the_database(seeded):
    plain = _plain_values()
    cells = list(_every_cell_of_every_table())
    assert any(SEEDED.woman1 in text for _t, _c, text in cells)  # the scan does read the people (names are plain)
    found = [(table, column, name) for table, column, text in cells for name, value in plain.items() if value in text]
    assert found == [], f"plain personal values stored in the database: {found}"


def test_face_encodings_are_stored_encrypted(seeded):
    enrolment = FaceEnrolment.objects.order_by("pk").first()
    encoding = np.frombuffer(enrolment.encoding, dtype="<f8")
    assert encoding.shape == (128,)  # the application reads the 128 numbers back
    (raw,), *_ = _raw_rows(FaceEnrolment)
    raw = _as_bytes(raw)
    assert enrolment.encoding not in raw and encoding[:4].tobytes() not in raw
    assert raw.startswith(FERNET_PREFIX)


def _decrypted_everything() -> dict[str, list]:
    out = {}
    for model in models_with_encrypted_fields():
        names = [f.name for f in encrypted_fields(model)]
        out[model._meta.label] = [tuple(bytes(v) if isinstance(v, (bytes, memoryview)) else v for v in row)
                                  for row in model.objects.order_by("pk").values_list(*names)]
    return out


def test_rotate_keys_moves_every_encrypted_column_to_the_new_key(seeded, settings):
    before = _decrypted_everything()
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()

    settings.FIELD_ENCRYPTION_KEYS = [new_key, *old_keys]  # the switch: the new key first, the old one still listed
    assert _decrypted_everything() == before  # old tokens still read during the switch
    call_command("rotate_keys", stdout=StringIO())
    assert set(KeyRotationCheckpoint.objects.values_list("done", flat=True)) == {True}
    for model in models_with_encrypted_fields():
        for field, value in ((f, v) for row in _raw_rows(model) for f, v in zip(encrypted_fields(model), row,
                                                                               strict=True)):
            if value not in (None, ""):
                assert crypto.is_current(_as_bytes(value)), f"{model._meta.label}.{field.name} still on the old key"

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key removed: everything still reads
    assert _decrypted_everything() == before
    settings.FIELD_ENCRYPTION_KEYS = old_keys  # and the old key alone no longer can
    with pytest.raises(crypto.InvalidToken):
        _decrypted_everything()


def test_binary_and_text_fields_are_both_covered_by_rotation():
    kinds = {type(f) for m in models_with_encrypted_fields() for f in encrypted_fields(m)}
    assert EncryptedBinaryField in kinds and len(kinds) == 2
