"""The workers' monthly performance and incentive: one page for every level, scoped like the dashboard."""
from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from poshan.core.params import parse_int, parse_month
from poshan.core.scoping import RoleRequiredMixin

from ..selectors import resolve_place
from . import selectors
from .rules import MEASURES

LABELS = {
    "home_visits": _("Home visits done of those due"),
    "weighing": _("Children weighed of those due"),
    "days_open": _("Days the centre opened (norm: 25)"),
    "thr": _("Take-home ration handed over of those entitled"),
    "on_time": _("Attendance sheets sent on the day"),
}


class IncentiveView(RoleRequiredMixin, View):
    required_permissions = ("dashboards.view_incentive",)
    personal_data = True  # the workers' names and their month

    def get(self, request, pk: int | None = None):
        month = parse_month(request.GET.get("month"), default=timezone.localdate().replace(day=1))
        place = resolve_place(request.user, pk)[1]  # outside her area: 404
        number = parse_int(request.GET.get("page"), name="page", default=1, min_value=1)
        page, rows = selectors.report_page(request.user, month, place=place, page=number)
        self.reading(object_type="incentive_report", object_id=f"{place.pk if place else 'nation'}:{month:%Y-%m}")
        minimums = selectors.minimums()
        return render(request, "dashboards/incentive.html", {
            "month": month, "place": place, "page": page, "query": f"month={month:%Y-%m}",
            "rows": [(row, [(LABELS[line.key], line) for line in row.assessment.lines]) for row in rows],
            "measures": [(key, LABELS[key], minimums.get(key)) for key in MEASURES],
        })
