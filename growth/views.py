"""Pages of growth monitoring (thin: fetch from the user's scope, call one service, render)."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from anganwadi.selectors import locations_visible_to, user_area, visible_ancestors
from beneficiaries.lifestage import age_text
from beneficiaries.selectors import children_q, present_q, scoped_beneficiaries
from poshan.core.dates import add_months, last_of_month
from poshan.core.forms_util import service_errors
from poshan.core.ids import parse_id
from poshan.core.paging import page_by_keys
from poshan.core.params import parse_month
from poshan.core.roles import Level
from poshan.core.scoping import RoleRequiredMixin, ScopedObjectMixin
from poshan.core.search import search_redirect, search_text

from . import charts, selectors, services
from .forms import FollowUpDoneForm, MeasurementForm, RisingFilterForm
from .models import FollowUp
from .results import describe
from .tracker import growth_tracker, tracker_months
from .zscores import SEX_FEMALE, SEX_MALE

PAGE_SIZE = 25
TRACKER_PAGE_SIZE = 25
SEX_CODES = {"M": SEX_MALE, "F": SEX_FEMALE}


class ChildrenView(RoleRequiredMixin, View):
    """Children of the centre (or sector) with their last measurement: pick one to measure."""

    required_permissions = ("growth.view_measurement",)
    personal_data = True

    def get(self, request):
        q, refused = search_text(request)  # what was typed travels by POST, behind a token
        if refused:
            return refused
        not_weighed = request.GET.get("show") == "not_weighed"
        children = selectors.growth_children(user=request.user, not_weighed=not_weighed, q=q)
        page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
        selectors.attach_latest(list(page.object_list))
        for child in page.object_list:
            child.result = describe(child.latest) if child.latest else None
        self.reading(object_type="beneficiaries.beneficiary", object_id=f"growth:list:page{page.number}")
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "growth/children.html", {
            "page": page, "not_weighed": not_weighed, "q": q, "query": query.urlencode(),
            "can_measure": request.user.has_perm("growth.add_measurement"),
        })

    def post(self, request):
        return search_redirect(request, request.POST.get("q", ""), {"show": request.POST.get("show", "")})


class ChildGrowthView(ScopedObjectMixin, View):
    """One child's growth chart (weight- and length/height-for-age) and measurement history."""

    required_permissions = ("growth.view_measurement",)
    personal_data = True

    def get_scoped_queryset(self):
        return scoped_beneficiaries(self.request.user).select_related("awc", "growth_status")

    def get(self, request, pk: int):
        child = self.get_object()
        history = selectors.child_history(child)
        today = timezone.localdate()
        sex = SEX_CODES.get(child.sex)
        chart_list = []
        if sex:
            weights = [((m.date - child.dob).days, float(m.weight_kg), date_format(m.date)) for m in history]
            if child.birth_weight_kg:
                weights.insert(0, (0, float(child.birth_weight_kg), _("birth weight")))
            lengths = [((m.date - child.dob).days, m.clenhei_cm, date_format(m.date)) for m in history
                       if m.clenhei_cm is not None]
            sex_label = _("boys") if sex == SEX_MALE else _("girls")
            age_days = (today - child.dob).days
            chart_list = [charts.build(name, sex=sex, points=points, sex_label=sex_label, age_days=age_days)
                          for name, points in (("wfa", weights), ("lhfa", lengths))]
        rows = [(m, describe(m)) for m in reversed(history)]
        return render(request, "growth/child.html", {
            "child": child, "age": age_text(child.dob, today), "charts": chart_list, "rows": rows,
            "status": getattr(child, "growth_status", None),
            "can_measure": request.user.has_perm("growth.add_measurement"),
        })


class MeasureView(ScopedObjectMixin, View):
    """The phone form: the child's last measurement above, the result right after saving."""

    required_permissions = ("growth.add_measurement",)
    personal_data = True

    def get_scoped_queryset(self):
        today = timezone.localdate()
        return scoped_beneficiaries(self.request.user).filter(present_q(today), children_q(today)).select_related("awc")

    def _render(self, request, child, form, status=200):
        last = child.measurements.order_by("-date", "-id").first()
        return render(request, "growth/measure.html", {
            "child": child, "form": form, "last": last, "last_result": describe(last) if last else None,
            "age": age_text(child.dob, timezone.localdate()),
        }, status=status)

    def get(self, request, pk: int):
        child = self.get_object()
        return self._render(request, child, MeasurementForm(child=child, today=timezone.localdate()))

    def post(self, request, pk: int):
        child = self.get_object()
        form = MeasurementForm(request.POST, child=child, today=timezone.localdate())
        if form.is_valid():
            data = form.cleaned_data
            with service_errors(form) as call:
                measurement, _created = services.measurement_record(
                    actor=request.user, child=child, date=data["date"], weight_kg=data["weight_kg"],
                    lenhei_cm=data["lenhei_cm"], measure=data["measure"], muac_cm=data["muac_cm"],
                    oedema=data["oedema"], client_uuid=data["client_uuid"],
                )
            if call.ok:
                return redirect("growth:measurement", pk=measurement.pk)
        return self._render(request, child, form, status=400)


class MeasurementResultView(ScopedObjectMixin, View):
    """The result of one measurement in plain language (shown right after saving)."""

    required_permissions = ("growth.view_measurement",)
    personal_data = True

    def get_scoped_queryset(self):
        return selectors.scoped_measurements(self.request.user).select_related("child", "child__awc")

    def get(self, request, pk: int):
        measurement = self.get_object()
        self.reading(measurement, awc_id=measurement.child.awc_id)
        return render(request, "growth/result.html", {
            "m": measurement, "child": measurement.child, "result": describe(measurement),
            "age": age_text(measurement.child.dob, measurement.date),
            "can_measure": request.user.has_perm("growth.add_measurement"),
        })


class FollowUpListView(RoleRequiredMixin, View):
    """Names and reasons for the centre and its supervisor; counts only for the block and above."""

    required_permissions = ("growth.view_growth_figures",)

    def get(self, request):
        if request.user.has_perm("growth.view_followup"):
            return self._names(request)
        return self._counts(request)

    def _names(self, request):
        self.personal_data = True  # names for the centre and supervisor (the counts read no one)
        reason = request.GET.get("reason", "")
        reason = reason if reason in FollowUp.Reason.values else ""
        children = selectors.followup_children(user=request.user, reason=reason)
        page = page_by_keys(children, request.GET.get("page"), PAGE_SIZE)
        self.reading(object_type="growth.followup", object_id=f"list:page{page.number}")
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "growth/followups.html", {
            "page": page, "reasons": FollowUp.Reason.choices, "reason": reason, "query": query.urlencode(),
            "form": FollowUpDoneForm(), "can_resolve": request.user.has_perm("growth.change_followup"),
        })

    def _counts(self, request):
        area = user_area(request.user)
        location = area.location if area else None
        if (wanted := parse_id(request.GET.get("location"))) is not None:
            location = get_object_or_404(locations_visible_to(request.user), pk=wanted)
        rows = [] if area is None else selectors.followup_counts(user=request.user, location=location)
        return render(request, "growth/followup_counts.html", {
            "rows": rows, "location": location, "reasons": FollowUp.Reason.choices, "no_area": area is None,
            "ancestors": visible_ancestors(request.user, location), "leaf": location is not None
            and location.level == Level.SECTOR,
        })


class FollowUpResolveView(ScopedObjectMixin, View):
    """Mark one follow-up done (audited), back to the list."""

    required_permissions = ("growth.view_followup", "growth.change_followup")

    def get_scoped_queryset(self):
        return selectors.scoped_followups(self.request.user)

    def post(self, request, pk: int):
        followup = self.get_object()
        form = FollowUpDoneForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        services.followup_resolve(actor=request.user, followup=followup, note=note)
        messages.success(request, _("Marked as followed up."))
        return redirect("growth:followups")


def default_rising_level(user, levels: list[str]) -> str:
    """The level just below the user's own (a supervisor sees her AWCs, a CDPO her sectors)."""
    if not levels:
        return ""
    area = user_area(user)
    if len(levels) > 1 and area is not None and area.level == levels[0]:
        return levels[1]
    return levels[0]


class RisingCasesView(RoleRequiredMixin, View):
    """This month's prevalence against last month's, the biggest rise first."""

    required_permissions = ("growth.view_growth_figures",)

    def get(self, request):
        levels = selectors.rising_levels(request.user)
        choices = [(level, Level(level).label) for level in levels]
        default_level = default_rising_level(request.user, levels)
        this_month = timezone.localdate().replace(day=1)
        form = RisingFilterForm(request.GET or None, levels=choices,
                                initial={"level": default_level, "month": this_month})
        data = form.cleaned_data if form.is_valid() else {}
        month = (data.get("month") or this_month).replace(day=1)
        level = data.get("level") or default_level
        rows, places = (selectors.rising_cases(user=request.user, level=level, month=month,
                                               condition=data.get("condition", "")) if levels else ([], 0))
        return render(request, "growth/rising.html", {
            "form": form, "rows": rows, "places": places, "month": month,
            "previous": add_months(month, -1), "level": level, "conditions": selectors.CONDITIONS,
        }, status=400 if form.errors else 200)  # an unreadable filter: this month is shown, the field says why


class FlaggingRunsView(RoleRequiredMixin, View):
    """The last nightly runs: status, progress, counts and duration."""

    required_permissions = ("growth.view_flaggingrun",)

    def get(self, request):
        runs = selectors.recent_runs()
        running = any(run.status == run.Status.RUNNING for run in runs)
        return render(request, "growth/runs.html", {"runs": runs, "running": running})


class GrowthTrackerView(RoleRequiredMixin, View):
    """ICDS-CAS's child growth tracker: each child's last three months of pre-school days, meals and status."""

    required_permissions = ("growth.view_measurement",)
    personal_data = True

    def get(self, request):
        month = parse_month(request.GET.get("month"), default=timezone.localdate().replace(day=1))
        on = min(last_of_month(month), timezone.localdate())
        page = Paginator(selectors.growth_children(user=request.user, on=on), TRACKER_PAGE_SIZE).get_page(
            request.GET.get("page"))
        self.reading(object_type="beneficiaries.beneficiary", object_id=f"growth:tracker:page{page.number}")
        return render(request, "growth/tracker.html", {
            "page": page, "rows": growth_tracker(list(page.object_list), month), "month": month,
            "months": tracker_months(month), "query": f"month={month:%Y-%m}",
        })
