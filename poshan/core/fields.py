"""Model fields whose values are encrypted at rest (Fernet tokens in the column)."""
from __future__ import annotations

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """A string stored as a Fernet token. Not searchable: pair it with a blind index."""

    encrypted = True

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value.encode()).decode()

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value).encode()).decode()


class EncryptedBinaryField(models.BinaryField):
    """Bytes stored as a Fernet token (e.g. a face encoding)."""

    encrypted = True

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return crypto.decrypt(bytes(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is not None and not prepared:
            value = crypto.encrypt(bytes(value))
        return super().get_db_prep_value(value, connection, prepared=True)


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if getattr(field, "encrypted", False)]
