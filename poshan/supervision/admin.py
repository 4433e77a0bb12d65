from django.contrib import admin

from .models import ActionItem, Alert, AlertContact, AlertRun, Vhsnd, Visit, VisitCheck


class VisitCheckInline(admin.TabularInline):
    model = VisitCheck
    extra = 0


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("awc", "on", "supervisor")
    list_filter = ("on",)
    raw_id_fields = ("awc", "supervisor")
    inlines = [VisitCheckInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("awc", "text", "owner", "due_on", "status")
    list_filter = ("status", "owner")
    raw_id_fields = ("awc", "raised_in", "checked_in", "carried_from")


@admin.register(Vhsnd)
class VhsndAdmin(admin.ModelAdmin):
    list_display = ("awc", "on", "children_referred", "anm_present")
    raw_id_fields = ("awc", "recorded_by")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("condition", "awc", "state", "opened_on", "cleared_at", "notified_at")
    list_filter = ("condition", "state")
    raw_id_fields = ("awc", "district")


@admin.register(AlertRun)
class AlertRunAdmin(admin.ModelAdmin):
    list_display = ("district", "on", "finished_at", "opened", "cleared", "open_total")
    raw_id_fields = ("district",)


@admin.register(AlertContact)
class AlertContactAdmin(admin.ModelAdmin):
    list_display = ("user", "mobile_masked", "sms")
    raw_id_fields = ("user",)
