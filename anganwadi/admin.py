from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from poshan.core.admin_audit import AuditedAdminMixin
from poshan.core.models import User
from poshan.core.roles import group_name

from .models import Location, StaffAssignment


@admin.register(Location)
class LocationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "level", "parent", "is_active")
    list_filter = ("level", "is_active", "is_aspirational", "is_north_east")
    search_fields = ("name", "=code")
    raw_id_fields = ("parent",)
    exclude = ("state", "district", "project", "sector")

    def save_model(self, request, obj, form, change):
        obj.fill_ancestors()
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: facts keep pointing at their AWC


class StaffAssignmentInline(admin.StackedInline):
    model = StaffAssignment
    can_delete = False
    raw_id_fields = ("location",)
    extra = 1
    max_num = 1


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Poshan", {"fields": ("role", "preferred_language")}))
    inlines = [StaffAssignmentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if user.role:
            user.groups.add(Group.objects.get(name=group_name(user.role)))
            user.groups.remove(*user.groups.exclude(name=group_name(user.role)).filter(name__startswith="role:"))
