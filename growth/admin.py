"""Read-only admin views: measurements are written by the service, statuses and runs by the job."""
from django.contrib import admin

from poshan.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import FlaggingChunk, FlaggingRun, FollowUp, Measurement


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


class FlaggingChunkInline(ReadOnlyInline):
    model = FlaggingChunk
    readonly_fields = ("district", "first_child_id", "last_child_id", "done_at", "children", "measured",
                       "statuses_changed", "followups_created", "seconds")


@admin.register(FlaggingRun)
class FlaggingRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "run_date", "status", "chunks_done", "chunks_total", "children", "statuses_changed",
                    "followups_created", "started_at", "finished_at")
    inlines = [FlaggingChunkInline]


# Malnutrition cases: written by their services only; a state's own protocol values are set here.
from .models import Case, CaseEvent, CaseRulesOverride  # noqa: E402


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("id", "child_id", "awc_id", "category", "status", "outcome", "opened_on", "closed_on")
    list_filter = ("category", "status", "outcome")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "case_id", "kind", "date", "awc_id")
    list_filter = ("kind",)


@admin.register(CaseRulesOverride)
class CaseRulesOverrideAdmin(admin.ModelAdmin):
    """A state's protocol values: a JSON of rule name → value (growth/cases/rules.py); checked on save."""

    list_display = ("state", "note", "updated_at")
