"""Client-generated submission ids: a retry is answered with the first result, never a duplicate."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext as _

T = TypeVar("T", bound=models.Model)
R = TypeVar("R")


def create_once(model: type[T], *, client_uuid, scope: dict, create: Callable[[], R],
                replay: Callable[[T], R] | None = None) -> tuple[R, bool]:
    """Run `create` unless a row of `model` with this client_uuid exists; return (result, created).

    The one way a form, API call or offline batch is made exactly-once. `create` saves the row
    carrying client_uuid (and may return something else, e.g. a sheet's result); a retry is answered
    with `replay(earlier row)` (the row itself by default). `scope` narrows the lookup (e.g.
    {"awc": awc}) so a replayed id can never return another centre's or person's row: an id already
    used elsewhere is refused with a message on client_uuid, never a server error.
    """
    replay = replay or (lambda row: row)
    if client_uuid is None:
        return create(), True
    # Looked up across the whole table, not only in scope: on PostgreSQL a partitioned fact table
    # (measurements, THR) is unique on (client_uuid, month) only, so an id reused for another record
    # would not always raise below (poshan/core/partitions.py). Still one query.
    found = (model.objects.filter(client_uuid=client_uuid)
             .annotate(_in_scope=ExpressionWrapper(Q(**scope), output_field=BooleanField()))
             .order_by("-_in_scope").first())
    if found is not None:
        if not found._in_scope:
            raise used_elsewhere()
        return replay(found), False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:  # the same id saved a moment ago by a concurrent request
        found = model.objects.filter(client_uuid=client_uuid, **scope).first()
        if found is not None:
            return replay(found), False
        if model.objects.filter(client_uuid=client_uuid).exists():
            raise used_elsewhere() from None
        raise


def used_elsewhere() -> ValidationError:
    return ValidationError({"client_uuid": _("This submission id was already used for another record.")})
