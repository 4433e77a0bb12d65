from django.contrib import admin

from poshan.core.admin_audit import AuditedAdminMixin

from .models import QuizQuestion, TrainingAttendance, TrainingSession, Video


class QuizQuestionInline(admin.StackedInline):
    model = QuizQuestion
    extra = 1


@admin.register(Video)
class VideoAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Admins upload videos here; the file is checked to be MP4/WebM by its content."""

    list_display = ("title", "topic", "kind", "language", "duration_seconds", "is_published")
    list_filter = ("kind", "topic", "language", "is_published")
    search_fields = ("title",)
    inlines = [QuizQuestionInline]


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    extra = 0
    raw_id_fields = ("worker",)
    readonly_fields = ("recorded_at",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ("date", "place", "location", "trainer", "curriculum")
    list_filter = ("curriculum",)
    raw_id_fields = ("location", "trainer", "recorded_by")
    inlines = [TrainingAttendanceInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # sessions and attendance are recorded through the scoped pages (audited there)
