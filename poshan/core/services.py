"""Writes to the user's own settings."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .audit import audit_record
from .models import AuditEvent, User


@transaction.atomic
def user_language_set(*, user: User, language: str) -> bool:
    """Remember the language the portal speaks to `user` (audited); False when it already was that one."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the languages offered."))
    if user.preferred_language == language:
        return False
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    audit_record(actor=user, action=AuditEvent.Action.UPDATE, obj=user, fields=["preferred_language"])
    return True
