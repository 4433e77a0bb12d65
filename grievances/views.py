"""Thin pages: fetch through a selector (out of scope = 404), call one service, redirect or render."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from poshan.core.audit import audit_view
from poshan.core.forms_util import service_errors, service_errors_as_message
from poshan.core.roles import CENTRE_ROLES, Role
from poshan.core.scoping import RoleRequiredMixin, ScopedObjectMixin

from . import selectors, services
from .forms import (
    AssignForm,
    GrievanceFilterForm,
    HelplineForm,
    LodgeForm,
    MonthForm,
    NoteForm,
    OnBehalfForm,
)
from .validators import SCREENSHOT_FORMATS

PAGE_SIZE = 30


class GrievanceListView(RoleRequiredMixin, View):
    required_permissions = ("grievances.view_grievance",)

    def get(self, request):
        form = GrievanceFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        rows = selectors.grievance_list(user=request.user, filters=filters)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "grievances/list.html", {"form": form, "page": page, "query": query.urlencode()})


class LodgeView(RoleRequiredMixin, View):
    """One page, three forms: a worker for herself, an officer for a worker, the helpline for a caller."""

    required_permissions = ("grievances.add_grievance",)

    def make_form(self, data=None, files=None):
        user = self.request.user
        if user.role in CENTRE_ROLES:
            return LodgeForm(data, files, user=user)
        if user.role == Role.HELPLINE:
            return HelplineForm(data, files, user=user)
        return OnBehalfForm(data, files, user=user, workers=selectors.workers_for_lodging(user).order_by("first_name"))

    def get(self, request):
        return render(request, "grievances/lodge.html", {"form": self.make_form()})

    def post(self, request):
        form = self.make_form(request.POST, request.FILES)
        awc = None
        if form.is_valid() and "awc_code" in form.cleaned_data:
            awc = selectors.awc_by_code(user=request.user, code=form.cleaned_data["awc_code"])
            if awc is None:
                form.add_error("awc_code", _("No Anganwadi centre has this code."))
        if form.is_valid():
            data = form.cleaned_data
            with service_errors(form, field_map={"submission_id": "__all__"}) as call:  # a hidden field: on top
                grievance = services.grievance_lodge(
                    actor=request.user, category=data["category"], description=data["description"],
                    screenshot=data.get("screenshot"), worker=data.get("worker"), awc=awc,
                    caller_name=data.get("caller_name", ""), caller_language=data.get("caller_language", ""),
                    submission_id=data.get("submission_id"),
                )
            if call.ok:
                messages.success(request, _("Grievance %(ref)s lodged. Keep this reference number.")
                                 % {"ref": grievance.reference})
                return redirect("grievances:detail", grievance.pk)
        return render(request, "grievances/lodge.html", {"form": form}, status=400)


class QueueView(RoleRequiredMixin, View):
    required_permissions = ("grievances.work_grievance_desk",)

    def get(self, request):
        page = Paginator(selectors.desk_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "grievances/queue.html", {"page": page})


class GrievanceDetailView(ScopedObjectMixin, View):
    required_permissions = ("grievances.view_grievance",)

    def get_scoped_queryset(self):
        return selectors.grievances_visible_to(self.request.user).select_related(
            "awc", "worker", "lodged_by", "assigned_to")

    def get(self, request, pk: int):
        grievance = self.get_object()
        user = request.user
        desk_officer = selectors.is_desk_officer(user, grievance)
        context = {
            "g": grievance,
            "events": selectors.grievance_events(grievance),
            "can_handle": selectors.can_handle(user, grievance),
            "is_owner": selectors.is_owner(user, grievance),
            "note_form": NoteForm(),
            "assign_form": AssignForm(officers=selectors.officers_for_assignment(user=user, grievance=grievance))
            if desk_officer else None,
            "overdue": grievance.is_overdue(),
        }
        audit_view(request, obj=grievance, awc_id=grievance.awc_id)
        return render(request, "grievances/detail.html", context)


class GrievanceActionView(ScopedObjectMixin, View):
    """POST start / resolve / close / reopen / note / assign; the service decides who may."""

    required_permissions = ("grievances.view_grievance",)
    http_method_names = ["post"]

    def get_scoped_queryset(self):
        return selectors.grievances_visible_to(self.request.user)

    def post(self, request, pk: int, action: str):
        grievance = self.get_object()
        note = request.POST.get("note", "")
        with service_errors_as_message(request) as call:
            if action == "start":
                services.grievance_start(actor=request.user, grievance=grievance)
            elif action == "resolve":
                services.grievance_resolve(actor=request.user, grievance=grievance, note=note)
            elif action == "close":
                services.grievance_close(actor=request.user, grievance=grievance)
            elif action == "reopen":
                services.grievance_reopen(actor=request.user, grievance=grievance, note=note)
            elif action == "note":
                services.grievance_add_note(actor=request.user, grievance=grievance, note=note)
            elif action == "assign":
                form = AssignForm(request.POST, officers=selectors.officers_for_assignment(
                    user=request.user, grievance=grievance))
                if not form.is_valid():
                    raise ValidationError(_("Choose an officer whose area holds this centre."))
                services.grievance_assign(actor=request.user, grievance=grievance, officer=form.cleaned_data["officer"])
            else:
                raise Http404
        if call.ok:
            messages.success(request, _("Saved."))
        return redirect("grievances:detail", grievance.pk)


class ScreenshotView(ScopedObjectMixin, View):
    """The screenshot, only to those who may see the grievance (never a public /media/ URL)."""

    required_permissions = ("grievances.view_grievance",)

    def get_scoped_queryset(self):
        return selectors.grievances_visible_to(self.request.user).exclude(screenshot="")

    def get(self, request, pk: int):
        grievance = self.get_object()
        audit_view(request, obj=grievance, awc_id=grievance.awc_id)
        response = FileResponse(grievance.screenshot.open("rb"),
                                content_type=SCREENSHOT_FORMATS.get(grievance.screenshot_format, "application/octet-stream"))
        response["Content-Disposition"] = "inline"
        return response


class FiguresView(RoleRequiredMixin, View):
    required_permissions = ("grievances.view_grievance_figures",)

    def get(self, request):
        form = MonthForm(request.GET or None)
        month = form.cleaned_data.get("month") if form.is_valid() else None
        figures = selectors.grievance_figures(request.user, month=month)
        return render(request, "grievances/figures.html", {"form": form, "figures": figures},
                      status=400 if form.errors else 200)  # an unreadable month: all months, the field says why


class NotificationsView(RoleRequiredMixin, View):
    required_permissions = ("grievances.view_notification",)

    def get(self, request):
        page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "grievances/notifications.html", {"page": page})

    def post(self, request):
        services.notifications_mark_read(actor=request.user)
        return redirect("grievances:notifications")
