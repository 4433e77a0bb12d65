"""The one dashboard for every level, and the page where officials recount a month."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from anganwadi.selectors import locations_visible_to, user_area
from poshan.core.params import parse_month
from poshan.core.scoping import RoleRequiredMixin

from . import charts, selectors
from .indicators import BY_KEY, INDICATORS
from .models import NutritionMonth, RollupRun
from .tasks import refresh_queue

SEXES = (("", "both"), ("F", "girls"), ("M", "boys"))


def _month(raw: str | None) -> date:
    """The month asked for (an unreadable one is a 400, poshan.core.params), else this month."""
    return parse_month(raw, default=timezone.localdate().replace(day=1))


class DashboardView(RoleRequiredMixin, View):
    required_permissions = ("dashboards.view_dashboard",)

    def get(self, request, pk: int | None = None):
        params = request.GET
        filters = selectors.Filters(
            month=_month(params.get("month")),
            sex=params.get("sex", "") if params.get("sex", "") in ("", "F", "M") else "",
            band=params.get("band", "") if params.get("band", "") in NutritionMonth.Band.values else "",
            indicator=params.get("indicator", "stunting") if params.get("indicator") in BY_KEY else "stunting",
        )
        board = selectors.dashboard(user=request.user, location_id=pk, filters=filters)
        chosen = BY_KEY[filters.indicator]
        query = params.copy()
        context = {
            "board": board, "filters": filters, "chosen": chosen, "indicators": INDICATORS,
            "columns": selectors.table_columns(), "bands": NutritionMonth.Band.choices,
            "trend_svg": charts.trend_line(board.trend, title=str(chosen.label)),
            "bars_svg": charts.bars([(c.name, c.value(chosen.key).value, c.value(chosen.key).band)
                                     for c in board.children], title=str(chosen.label)),
            "query": query.urlencode(),
            "can_refresh": request.user.has_perm("dashboards.refresh_rollups"),
            "can_followups": request.user.has_perm("growth.view_growth_figures"),
        }
        return render(request, "dashboards/dashboard.html", context)


def _runs_visible_to(user):
    """Refreshes of the user's area or of everywhere (nightly runs); a state official's never reach another state."""
    return RollupRun.objects.filter(Q(location__isnull=True) | Q(location__in=locations_visible_to(user)))


class RefreshView(RoleRequiredMixin, View):
    """Admins, ministry and state officials recount a month on demand (a state official: her own state);
    the page shows the run's progress."""

    required_permissions = ("dashboards.refresh_rollups",)

    def get(self, request, run_id: int | None = None):
        runs = _runs_visible_to(request.user).select_related("location")
        run = get_object_or_404(runs, pk=run_id) if run_id else None
        recent = runs.order_by("-started_at")[:10]
        return render(request, "dashboards/refresh.html", {"run": run, "recent": recent,
                                                           "month": timezone.localdate().strftime("%Y-%m")})

    def post(self, request, run_id: int | None = None):
        area = user_area(request.user)
        if area is None:
            raise Http404
        if run_id is not None:  # the form on a run's page: that run must be the user's to see
            get_object_or_404(_runs_visible_to(request.user), pk=run_id)
        month = _month(request.POST.get("month"))
        run = refresh_queue(month, trigger="admin", location=area.location, actor=request.user)
        messages.success(request, _("Refreshing %(m)s. This page shows the progress.") % {"m": month.strftime("%B %Y")})
        return redirect("dashboards:refresh_run", run_id=run.pk)
