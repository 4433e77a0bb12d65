"""Pages about people, all scoped to the user's area: workers' progress, cascade sessions, counts."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from anganwadi.selectors import user_area
from poshan.core.forms_util import service_errors
from poshan.core.scoping import RoleRequiredMixin, ScopedObjectMixin

from .. import selectors, services
from ..forms import AttendanceForm, CountsForm, SessionForm

PAGE_SIZE = 50


class WorkersProgressView(RoleRequiredMixin, View):
    required_permissions = ("training.view_worker_progress",)
    personal_data = True

    def get(self, request):
        page = Paginator(selectors.workers_progress(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        self.reading(object_type="core.user", object_id=f"training-progress:page{page.number}")
        return render(request, "training/workers.html", {"page": page, "total": selectors.self_learning_total()})


class WorkerProgressView(ScopedObjectMixin, View):
    required_permissions = ("training.view_worker_progress",)
    personal_data = True

    def get_scoped_queryset(self):
        return selectors.workers_in_area(self.request.user).select_related("assignment__location")

    def get(self, request, pk: int):
        worker = self.get_object()
        self.reading(obj=worker)
        return render(request, "training/worker.html",
                      {"worker": worker, "modules": selectors.worker_modules(worker)})


class SessionListView(RoleRequiredMixin, View):
    required_permissions = ("training.view_trainingsession",)

    def get(self, request):
        page = Paginator(selectors.session_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "training/sessions.html", {"page": page})


class SessionCreateView(RoleRequiredMixin, View):
    required_permissions = ("training.add_trainingsession",)

    def make_form(self, data=None):
        user = self.request.user
        return SessionForm(data, places=selectors.session_places(user=user),
                           trainers=selectors.master_trainers(user=user).order_by("role", "first_name"),
                           initial={"trainer": user.pk} if data is None else None)

    def get(self, request):
        return render(request, "training/session_form.html", {"form": self.make_form()})

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            with service_errors(form) as call:
                session = services.session_create(actor=request.user, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("Session recorded. Now mark who attended."))
                return redirect("training:session", session.pk)
        return render(request, "training/session_form.html", {"form": form}, status=400)


class SessionDetailView(ScopedObjectMixin, View):
    required_permissions = ("training.view_trainingsession",)

    def get_scoped_queryset(self):
        return selectors.sessions_visible_to(self.request.user).select_related("location", "trainer")

    def attendance_form(self, session, data=None):
        if not self.request.user.has_perm("training.change_trainingsession"):
            return None
        present = session.attendance.values_list("worker_id", flat=True)
        return AttendanceForm(data, workers=selectors.session_workers(user=self.request.user, session=session),
                              initial={"workers": list(present)})

    def render_page(self, session, form, status=200):
        attendees = session.attendance.select_related("worker__assignment__location").order_by("worker__first_name")
        return render(self.request, "training/session.html",
                      {"session": session, "form": form, "attendees": attendees}, status=status)

    def get(self, request, pk: int):
        session = self.get_object()
        return self.render_page(session, self.attendance_form(session))

    def post(self, request, pk: int):
        session = self.get_object()
        form = self.attendance_form(session, request.POST)
        if form is None:
            return redirect("training:session", session.pk)
        if form.is_valid():
            with service_errors(form) as call:
                added, removed = services.attendance_set(actor=request.user, session=session,
                                                         workers=form.cleaned_data["workers"])
            if call.ok:
                messages.success(request, _("Attendance saved: %(added)s added, %(removed)s removed.")
                                 % {"added": added, "removed": removed})
                return redirect("training:session", session.pk)
        return self.render_page(session, form, status=400)


class CountsView(RoleRequiredMixin, View):
    """AWWs trained, per area directly below the user's, and the total of her area."""

    required_permissions = ("training.view_training_counts",)

    def get(self, request):
        form = CountsForm(request.GET or None)
        curriculum = (form.cleaned_data.get("curriculum") if form.is_valid() else "") or None
        area = user_area(request.user)
        context = {
            "form": form,
            "area": area,
            "rows": selectors.trained_rows(request.user, curriculum=curriculum),
            "total": selectors.trained_total(request.user, curriculum=curriculum),
        }
        return render(request, "training/counts.html", context)
