from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from poshan.core.admin_audit import AuditedAdminMixin
from poshan.core.forms_util import service_errors
from poshan.core.models import User
from poshan.core.names import check_names
from poshan.core.roles import group_name
from poshan.core.tokens import api_tokens_revoke

from .models import Location, StaffAssignment
from .services import staff_assign


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


class UserAddForm(UserCreationForm):
    """Username, password, role and location on one page; the location is checked against the role
    by StaffAssignment's own validation (the same rule staff_assign enforces), before anything is saved."""

    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.all(), required=False,
        widget=AutocompleteSelect(StaffAssignment._meta.get_field("location"), admin.site),  # type a name or code
        help_text=_("The AWC, sector, project, district or state the user works in. "
                    "Leave empty for the ministry, helpline operators and administrators."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].required = True  # a user has exactly one role

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role and "location" in cleaned:
            with service_errors(self):
                StaffAssignment(user=User(role=role), location=cleaned["location"]).clean()
        return cleaned


class UserNamesForm(UserChangeForm):
    """The user's first and last names obey the one name rule (poshan.core.names), as in staff_create."""

    def clean(self):
        cleaned = super().clean()
        with service_errors(self):
            check_names(first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", ""))
        return cleaned


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Poshan", {"fields": ("role", "preferred_language")}))
    inlines = [StaffAssignmentInline]
    add_form = UserAddForm
    form = UserNamesForm
    add_fieldsets = ((None, {"classes": ("wide",),
                             "fields": ("username", "password1", "password2", "role", "location")}),)

    actions = ["revoke_api_tokens"]

    @admin.action(description=_("Sign out of the API (end the selected users' API tokens)"),
                  permissions=["change"])
    def revoke_api_tokens(self, request, queryset):
        ended = sum(api_tokens_revoke(user=user, actor=request.user) for user in queryset)
        self.message_user(request, _("API tokens ended: %(count)d.") % {"count": ended})

    def get_inlines(self, request, obj):
        return [] if obj is None else super().get_inlines(request, obj)  # the add page asks for the location itself

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # role, group, is_staff and location through the staff service, audited
            staff_assign(actor=request.user, user=obj, role=form.cleaned_data["role"],
                         location=form.cleaned_data["location"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if user.role:
            user.groups.add(Group.objects.get(name=group_name(user.role)))
            user.groups.remove(*user.groups.exclude(name=group_name(user.role)).filter(name__startswith="role:"))
