"""Pages of the supervisor's month: her centres with visits due and done, one centre's visits and actions, the
visit form (which checks the last visit's actions) and the VHSND form. A CDPO reads her project's."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from poshan.core.forms_util import service_errors
from poshan.core.scoping import RoleRequiredMixin

from . import rules, selectors, services
from .forms import VhsndForm, VisitForm

PAGE_SIZE = 50


class SectorView(RoleRequiredMixin, View):
    """Each centre of the area: visits this month against the norm, the last visit, open actions, the last VHSND."""

    required_permissions = ("supervision.view_visit",)

    def get(self, request):
        page = Paginator(selectors.supervised_awcs(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        rows = selectors.sector_rows(list(page.object_list), today)
        return render(request, "supervision/sector.html", {
            "page": page, "rows": rows, "today": today, "norm": rules.VISITS_PER_AWC_PER_MONTH,
            "due": sum(1 for r in rows if r.visits_short), "can_visit": request.user.has_perm("supervision.add_visit")})


class CentreMixin(RoleRequiredMixin):
    def centre(self, pk: int):
        return get_object_or_404(selectors.supervised_awcs(self.request.user), pk=pk)


class CentreView(CentreMixin, View):
    """One centre: the actions still open, its recent visits with their checklists, its recent VHSNDs."""

    required_permissions = ("supervision.view_visit",)

    def get(self, request, pk: int):
        awc = self.centre(pk)
        return render(request, "supervision/centre.html", {
            "awc": awc, "today": timezone.localdate(), "actions": selectors.open_actions(awc), "visits": selectors.recent_visits(awc),
            "vhsnds": selectors.recent_vhsnds(awc), "can_visit": request.user.has_perm("supervision.add_visit"),
            "can_vhsnd": request.user.has_perm("supervision.add_vhsnd")})


class VisitNewView(CentreMixin, View):
    """The visit form: the checklist, findings, the last visit's actions to check off, new actions."""

    required_permissions = ("supervision.add_visit",)

    def _render(self, request, awc, form, status=200):
        return render(request, "supervision/visit_form.html", {"awc": awc, "form": form}, status=status)

    def get(self, request, pk: int):
        awc = self.centre(pk)
        return self._render(request, awc, VisitForm(open_actions=selectors.open_actions(awc)))

    def post(self, request, pk: int):
        awc = self.centre(pk)
        form = VisitForm(request.POST, open_actions=selectors.open_actions(awc))
        if form.is_valid():
            with service_errors(form) as call:
                services.visit_record(actor=request.user, awc=awc, **form.service_arguments())
            if call.ok:
                messages.success(request, _("The visit is saved."))
                return redirect("supervision:centre", pk=awc.pk)
        return self._render(request, awc, form, status=400)


class VhsndNewView(CentreMixin, View):
    """The Village Health Sanitation and Nutrition Day held at the centre with the ANM."""

    required_permissions = ("supervision.add_vhsnd",)

    def get(self, request, pk: int):
        return render(request, "supervision/vhsnd_form.html", {"awc": self.centre(pk), "form": VhsndForm()})

    def post(self, request, pk: int):
        awc = self.centre(pk)
        form = VhsndForm(request.POST)
        if form.is_valid():
            with service_errors(form) as call:
                services.vhsnd_record(actor=request.user, awc=awc, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("The VHSND is saved."))
                return redirect("supervision:centre", pk=awc.pk)
        return render(request, "supervision/vhsnd_form.html", {"awc": awc, "form": form}, status=400)
