from django.contrib import admin

from .models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page that only shows: rows are written by the audited services and pages (or the jobs)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """The rows under a read-only admin page (a grievance's events, a run's chunks): shown, never added or removed."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is never edited or deleted through the app."""

    list_display = ("at", "actor", "actor_role", "action", "object_type", "object_id", "awc_id", "ip")
    list_filter = ("action", "actor_role", "object_type")
    search_fields = ("actor__username", "object_id")
    date_hierarchy = "at"
