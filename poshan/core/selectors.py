from datetime import timedelta

from django.apps import apps
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from .dates import day_start
from .models import AuditEvent


def area_awc_ids(*, level: str, code: int) -> QuerySet | None:
    """Ids of the AWCs inside the place (level, code), or None when no place has that code.

    The location tree lives in an app (core imports none): the app names its lookup as
    `audit_area_awcs` on its AppConfig, a dotted path to `(level, code) -> QuerySet of ids | None`.
    """
    for config in apps.get_app_configs():
        if path := getattr(config, "audit_area_awcs", None):
            return import_string(path)(level=level, code=code)
    return None


def own_centre(user):
    """The centre a worker (AWW/AWH) is assigned to, or None for everyone else.

    Answered by the app that owns the location tree (core imports none): it names its lookup as
    `own_centre` on its AppConfig, a dotted path to `(user) -> Location | None`.
    """
    for config in apps.get_app_configs():
        if path := getattr(config, "own_centre", None):
            return import_string(path)(user)
    return None


def audit_events(*, user, filters: dict) -> QuerySet[AuditEvent]:
    """Audit events for the audit page (nation-wide roles only hold the permission)."""
    if not user.has_perm("core.view_auditevent"):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if filters.get("actor"):
        events = events.filter(actor__username=filters["actor"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("awc_id"):
        events = events.filter(awc_id=filters["awc_id"])
    if filters.get("area_awcs") is not None:
        events = events.filter(awc_id__in=filters["area_awcs"])
    if filters.get("date_from"):
        events = events.filter(at__gte=day_start(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(at__lt=day_start(filters["date_to"] + timedelta(days=1)))
    return events
