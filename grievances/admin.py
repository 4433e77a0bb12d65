from django.contrib import admin

from poshan.core.admin import ReadOnlyAdmin, ReadOnlyInline
from poshan.core.admin_audit import AuditedAdminMixin

from .models import Grievance, GrievanceEvent, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The routing table: which desk gets which category, and its SLA."""

    list_display = ("category", "desk_role", "sla_hours")
    list_editable = ("desk_role", "sla_hours")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class GrievanceEventInline(ReadOnlyInline):
    model = GrievanceEvent
    readonly_fields = ("at", "actor", "kind", "status", "desk_role", "note")


@admin.register(Grievance)
class GrievanceAdmin(ReadOnlyAdmin):
    """Read-only: grievances move only through the desk pages (every step audited there)."""

    list_display = ("reference", "category", "status", "desk_role", "awc", "created_at", "due_at")
    list_filter = ("status", "category", "desk_role", "channel")
    search_fields = ("reference",)
    inlines = [GrievanceEventInline]
