from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is never edited or deleted through the app."""

    list_display = ("at", "actor", "actor_role", "action", "object_type", "object_id", "awc_id", "ip")
    list_filter = ("action", "actor_role", "object_type")
    search_fields = ("actor__username", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
