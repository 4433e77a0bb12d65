"""Read-only admin views of THR: every change goes through the audited services and pages.

Face encodings are not registered at all: no admin page shows or exports them.
"""
from django.contrib import admin

from poshan.core.admin import ReadOnlyAdmin

from .models import FaceCheck, OverrideRequest, ThrDistribution, ThrStockEntry


@admin.register(ThrStockEntry)
class ThrStockEntryAdmin(ReadOnlyAdmin):
    list_display = ("awc", "received_on", "packets", "note", "recorded_by")
    list_filter = ("received_on",)


@admin.register(ThrDistribution)
class ThrDistributionAdmin(ReadOnlyAdmin):
    list_display = ("month", "awc", "beneficiary_id", "quantity", "verified_by", "failed_matches", "handed_over_at")
    list_filter = ("month", "verified_by")
    raw_id_fields = ("beneficiary", "nominee", "face_check", "otp", "override")


@admin.register(FaceCheck)
class FaceCheckAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "awc", "purpose", "status", "error", "distance", "matched", "duration_ms")
    list_filter = ("purpose", "status", "error")


@admin.register(OverrideRequest)
class OverrideRequestAdmin(ReadOnlyAdmin):
    list_display = ("month", "awc", "beneficiary_id", "status", "requested_by", "decided_by")
    list_filter = ("status", "month")
