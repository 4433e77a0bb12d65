"""The one dashboard for every level, and the page where officials recount a month."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from anganwadi.selectors import locations_visible_to, user_area
from poshan.core.params import parse_month
from poshan.core.scoping import RoleRequiredMixin

from . import cases, charts, frs, page_cache, selectors
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
        place = selectors.resolve_place(request.user, pk)  # out of the user's area: 404 before any cache is read
        # The links keep the filters asked for, as read (anything else in the address is not carried on).
        query = urlencode([(name, getattr(filters, name) if name != "month" else filters.month.strftime("%Y-%m"))
                           for name in ("month", "sex", "band", "indicator") if name in params])
        variant = {"can_refresh": request.user.has_perm("dashboards.refresh_rollups"),
                   "can_followups": request.user.has_perm("growth.view_growth_figures"),
                   "can_frs": request.user.has_perm("thr_frs.view_thr_report")}
        area = user_area(request.user)
        key = page_cache.body_key(area_location_id=area.location.pk if area.location else None, level=place[0],
                                  location_id=place[1].pk if place[1] else None, filters=filters, query=query,
                                  variant=tuple(sorted(variant.items())),
                                  version=(selectors.rollup_version(place[0], place[1], filters.month),
                                           cases.fresh_key()))  # the cases' section is counted live
        parts = page_cache.cached(key, lambda: self._render_body(request.user, pk, place, filters, query, variant))
        return render(request, "dashboards/dashboard.html", {"place_name": parts["place_name"],
                                                             "body": mark_safe(parts["body"])})

    @staticmethod
    def _render_body(user, pk, place, filters, query, variant) -> dict:
        board = selectors.dashboard(user=user, location_id=pk, filters=filters, place=place)
        chosen = BY_KEY[filters.indicator]
        context = {
            "board": board, "filters": filters, "chosen": chosen, "indicators": INDICATORS,
            "columns": selectors.table_columns(), "bands": NutritionMonth.Band.choices,
            "trend_svg": charts.trend_line(board.trend, title=str(chosen.label)),
            "bars_svg": charts.bars([(c.name, c.value(chosen.key).value, c.value(chosen.key).band)
                                     for c in board.children], title=str(chosen.label)),
            "query": query, **variant,
            "frs_share": frs.frs_share(place[0], place[1], filters.month),  # templates/dashboards/_frs.html
            "cases": cases.section(user=user, place=place, month=filters.month),  # dashboards/_cases.html
        }
        return {"place_name": board.place.name, "body": render_to_string("dashboards/_board.html", context)}


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
