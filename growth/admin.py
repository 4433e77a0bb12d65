"""Read-only admin views: measurements are written by the service, statuses and runs by the job."""
from django.contrib import admin

from .models import FlaggingChunk, FlaggingRun, FollowUp, Measurement


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ("id", "child_id", "awc_id", "date", "weight_kg", "lenhei_cm", "waz", "haz", "whz", "is_implausible")
    list_filter = ("is_implausible", "stunting", "wasting", "acute")
    raw_id_fields = ("child", "awc", "district", "recorded_by")
    date_hierarchy = "date"
    show_full_result_count = False


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("id", "child_id", "awc_id", "reason", "month", "resolution", "resolved_at")
    list_filter = ("reason", "resolution")
    raw_id_fields = ("child", "awc", "measurement", "resolved_by")
    show_full_result_count = False


class FlaggingChunkInline(admin.TabularInline):
    model = FlaggingChunk
    extra = 0
    can_delete = False
    readonly_fields = ("district", "first_child_id", "last_child_id", "done_at", "children", "measured",
                       "statuses_changed", "followups_created", "seconds")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FlaggingRun)
class FlaggingRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "run_date", "status", "chunks_done", "chunks_total", "children", "statuses_changed",
                    "followups_created", "started_at", "finished_at")
    inlines = [FlaggingChunkInline]
