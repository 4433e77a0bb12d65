from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from poshan.core.forms_util import service_errors
from poshan.core.scoping import OwnCentreMixin, RoleRequiredMixin

from . import forms, selectors, services
from .models import EcceActivity

STAFF_PAGE_SIZE = 50


class AreaView(RoleRequiredMixin, View):
    """A location and the locations directly below it, inside the user's area only."""

    required_permissions = ("anganwadi.view_location",)

    def get(self, request, pk: int | None = None):
        area = selectors.user_area(request.user)
        if pk is None:
            location = area.location if area else None
            if area is None:
                return render(request, "anganwadi/area.html", {"location": None, "children": [], "no_area": True})
        else:
            location = get_object_or_404(selectors.locations_visible_to(request.user), pk=pk)
        children = selectors.location_children(location).order_by("name")
        ancestors = selectors.visible_ancestors(request.user, location)
        return render(
            request, "anganwadi/area.html", {"location": location, "children": children, "ancestors": ancestors}
        )


class StaffInAreaView(RoleRequiredMixin, View):
    """Users in my area, for district and state officials (and the ministry, admins)."""

    required_permissions = ("core.view_staff_in_area",)
    personal_data = True

    def get(self, request):
        users = selectors.staff_in_area(request.user)
        role = request.GET.get("role")
        if role:
            users = users.filter(role=role)
        page = Paginator(users, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
        self.reading(object_type="core.user", object_id=f"list:page{page.number}")
        return render(request, "anganwadi/staff_list.html", {"page": page, "role": role})


class TodayView(OwnCentreMixin, RoleRequiredMixin, View):
    """The worker's first page of the day: open (or why not), close, and the ECCE activity."""

    required_permissions = ("anganwadi.add_awcday",)
    FORMS = {"open": forms.OpenForm, "not_open": forms.NotOpenForm, "close": forms.CloseForm,
             "ecce": forms.EcceForm}

    def _context(self, request, awc, bound=None):
        today = timezone.localdate()
        now = timezone.localtime().strftime("%H:%M")
        context = {
            "awc": awc, "today": today, "record": services.day_status(awc, today),
            "ecce_today": EcceActivity.objects.filter(awc=awc, date=today).order_by("recorded_at"),
            "open_form": forms.OpenForm(initial={"date": today, "opened_at": now}, prefix="open"),
            "not_open_form": forms.NotOpenForm(initial={"date": today}, prefix="not_open"),
            "close_form": forms.CloseForm(initial={"date": today, "closed_at": now}, prefix="close"),
            "ecce_form": forms.EcceForm(initial={"date": today}, prefix="ecce"),
        }
        if bound is not None:
            context[f"{bound.prefix}_form"] = bound
        return context

    def get(self, request):
        return render(request, "anganwadi/today.html", self._context(request, self.own_awc))

    def post(self, request):
        awc = self.own_awc
        kind = request.POST.get("kind")
        if kind not in self.FORMS:
            return redirect("anganwadi:today")
        form = self.FORMS[kind](request.POST, prefix=kind)
        if form.is_valid():
            with service_errors(form) as call:
                message = self._save(request, awc, kind, form.cleaned_data)
            if call.ok:
                messages.success(request, message)
                return redirect("anganwadi:today")
        return render(request, "anganwadi/today.html", self._context(request, awc, bound=form), status=400)

    def _save(self, request, awc, kind, data) -> str:
        user = request.user
        common = {"actor": user, "awc": awc, "day": data["date"]}
        if kind == "close":
            record = services.awc_day_close(**common, closed_at=data["closed_at"])
            return _("Saved: the centre closed at %(t)s.") % {"t": record.closed_at.strftime("%H:%M")}
        late = {"backdate_reason": data["backdate_reason"], "client_uuid": data["client_uuid"]}
        if kind == "open":
            record, created = services.awc_day_open(**common, **late, opened_at=data["opened_at"],
                                                    latitude=data["latitude"], longitude=data["longitude"])
        elif kind == "not_open":
            record, created = services.awc_day_not_open(**common, **late, reason=data["reason"])
        else:
            record, created = services.ecce_record(**common, **late, activity=data["activity"],
                                                   children=data["children"])
            return (_("Saved: %(a)s with %(n)s children.") if created else
                    _("Already saved earlier: %(a)s with %(n)s children.")) % {
                        "a": record.get_activity_display(), "n": record.children}
        if not created:
            return _("This day was already recorded; nothing was changed.")
        return _("Saved: the centre is open.") if record.opened else _("Saved: the centre did not open today.")
