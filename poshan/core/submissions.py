"""The batch endpoint an offline phone calls when it reconnects.

Each item is `{"type": ..., "client_uuid": ..., "payload": {...}}`, handled in order
by the handler its app declares (AppConfig.submission_handlers: type → dotted path
of `handler(user, payload, client_uuid) -> dict`). Every item gets its own answer —
saved, duplicate (the first answer again) or rejected with the reasons — and one bad
item never undoes the good ones.
"""
from __future__ import annotations

import uuid
from functools import lru_cache

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as DRFValidationError

from .models import SubmissionReceipt
from .params import BadParameter

MAX_BATCH = 200
SAVED, DUPLICATE, REJECTED = "saved", "duplicate", "rejected"


@lru_cache(maxsize=1)
def handlers() -> dict[str, str]:
    found: dict[str, str] = {}
    for config in apps.get_app_configs():
        found.update(getattr(config, "submission_handlers", {}))
    return found


def _messages(exc: Exception) -> dict:
    if isinstance(exc, ValidationError):
        return exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    if isinstance(exc, DRFValidationError):
        return exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    return {"non_field_errors": [_("You may not do this.")]}


def _codes(exc: Exception) -> dict | None:
    """The codes of a service's refusal (e.g. "likely_duplicate"), so the phone can act on one, not just show it."""
    if not isinstance(exc, ValidationError):
        return None
    pairs = exc.error_dict.items() if hasattr(exc, "error_dict") else [("non_field_errors", exc.error_list)]
    codes = {field: [error.code for error in errors if error.code] for field, errors in pairs}
    return {field: found for field, found in codes.items() if found} or None


def _used_before(answer: dict) -> dict:
    return {**answer, "status": REJECTED, "errors": {"client_uuid": [_("This submission id was used before.")]}}


def _refusal(answer: dict, exc: Exception) -> dict:
    if isinstance(exc, BadParameter):
        return {**answer, "status": REJECTED, "errors": {exc.name: [exc.message]}}
    codes = _codes(exc)
    return {**answer, "status": REJECTED, "errors": _messages(exc), **({"codes": codes} if codes else {})}


def _earlier_answer(user, kind: str, client_uuid: uuid.UUID, answer: dict) -> dict | None:
    """The answer kept for this id: the same again for this user's item of this kind, a refusal for anyone else's;
    None when the id was never answered."""
    receipt = SubmissionReceipt.objects.filter(client_uuid=client_uuid).first()
    if receipt is None:
        return None
    if receipt.user_id != user.pk or receipt.kind != kind:
        return _used_before(answer)
    return {**answer, "status": DUPLICATE, "result": receipt.response}


def process_item(user, item: dict) -> dict:
    """One item in its own transaction. No lookup before the work: the receipt's INSERT (unique on the id) is the
    check, and a replay is undone and answered from the receipt; a refusal is looked up too, since a replay the
    form would refuse today (its worker moved, its day closed) was saved the first time."""
    kind, raw_id, payload = item.get("type"), item.get("client_uuid"), item.get("payload")
    answer = {"type": kind, "client_uuid": raw_id}
    try:
        client_uuid = uuid.UUID(str(raw_id))
    except ValueError:
        return {**answer, "status": REJECTED, "errors": {"client_uuid": [_("A valid submission id is needed.")]}}
    if kind not in handlers() or not isinstance(payload, dict):
        return {**answer, "status": REJECTED, "errors": {"type": [_("Unknown kind of submission.")]}}
    try:
        with transaction.atomic():
            result = import_string(handlers()[kind])(user, payload, client_uuid)
            SubmissionReceipt.objects.create(client_uuid=client_uuid, kind=kind, user=user, response=result)
    except (ValidationError, DRFValidationError, PermissionDenied, BadParameter) as exc:
        return _earlier_answer(user, kind, client_uuid, answer) or _refusal(answer, exc)
    except IntegrityError:  # the receipt's id answered before (or, racing, a moment ago), or another record's
        return _earlier_answer(user, kind, client_uuid, answer) or _used_before(answer)
    return {**answer, "status": SAVED, "result": result}


def process_batch(user, items: list[dict]) -> list[dict]:
    if len(items) > MAX_BATCH:
        raise ValidationError(_("Send at most %(n)s items at a time.") % {"n": MAX_BATCH})
    return [process_item(user, item if isinstance(item, dict) else {}) for item in items]
