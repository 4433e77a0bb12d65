from django.db.models import QuerySet

from .models import AuditEvent


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
    if filters.get("date_from"):
        events = events.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        events = events.filter(at__date__lte=filters["date_to"])
    return events
