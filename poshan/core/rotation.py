"""Re-encrypt every encrypted column under the newest key, resumably."""
from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import connection, models, transaction

from . import crypto
from .fields import EncryptedBinaryField, encrypted_fields
from .models import KeyRotationCheckpoint

ROTATION_BATCH = 500


def models_with_encrypted_fields() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if encrypted_fields(m)]


def _rotate_raw(field: models.Field, raw):
    if raw is None or raw == "":
        return raw
    if isinstance(field, EncryptedBinaryField):
        return crypto.rotate(bytes(raw))
    return crypto.rotate(raw.encode()).decode()


def rotate_model(model: type[models.Model], *, progress: Callable[[str], None] = lambda _: None) -> int:
    """Rotate one model's encrypted columns in pk batches, saving a checkpoint after each."""
    checkpoint, _ = KeyRotationCheckpoint.objects.get_or_create(model_label=model._meta.label)
    if checkpoint.done:
        return 0
    fields = encrypted_fields(model)
    columns = [f.column for f in fields]
    table = model._meta.db_table
    pk_col = model._meta.pk.column
    rotated = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                qn = connection.ops.quote_name
                cursor.execute(
                    f"SELECT {qn(pk_col)}, {', '.join(qn(c) for c in columns)} FROM {qn(table)} "
                    f"WHERE {qn(pk_col)} > %s ORDER BY {qn(pk_col)} LIMIT %s",
                    [checkpoint.last_pk, ROTATION_BATCH],
                )
                rows = cursor.fetchall()
                if not rows:
                    checkpoint.done = True
                    checkpoint.save(update_fields=["done", "updated_at"])
                    return rotated
                sets = ", ".join(f"{qn(c)} = %s" for c in columns)
                for pk, *values in rows:
                    new_values = [_rotate_raw(f, v) for f, v in zip(fields, values, strict=True)]
                    cursor.execute(f"UPDATE {qn(table)} SET {sets} WHERE {qn(pk_col)} = %s", [*new_values, pk])
                rotated += len(rows)
                checkpoint.last_pk = rows[-1][0]
                checkpoint.save(update_fields=["last_pk", "updated_at"])
        progress(f"{model._meta.label}: {rotated} rows re-encrypted")


def rotate_all(*, restart: bool = False, progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """Resume an unfinished rotation, or start a new one when the last one finished."""
    checkpoints = KeyRotationCheckpoint.objects.all()
    if restart or (checkpoints.exists() and not checkpoints.filter(done=False).exists()):
        checkpoints.delete()
    return {m._meta.label: rotate_model(m, progress=progress) for m in models_with_encrypted_fields()}
