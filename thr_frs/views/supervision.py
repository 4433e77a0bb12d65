"""The supervisor's page (overrides to answer, repeated failures per AWC) and the THR figures report."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from anganwadi.selectors import locations_visible_to, user_area, visible_ancestors
from poshan.core.forms_util import service_errors, service_errors_as_message
from poshan.core.scoping import RoleRequiredMixin

from .. import selectors, services
from ..forms import NearMissConfirmForm, OverrideDecideForm
from ..services.gallery import near_miss_supervisor_confirm
from .common import DECIDE, REPORT

RECENT_DECISIONS = 20


class SupervisionView(RoleRequiredMixin, View):
    required_permissions = DECIDE
    personal_data = True

    def _render(self, request, forms=None, status=200):
        month = selectors.parse_month(request.GET.get("month"))
        pending = list(selectors.pending_overrides(user=request.user))
        forms = forms or {}
        self.reading(object_type="thr_frs.overriderequest", object_id=f"supervision:{month:%Y-%m}")
        return render(request, "thr_frs/supervision.html", {
            "month": month, "months": selectors.month_choices(timezone.localdate()),
            "pending": [(o, forms.get(o.pk) or OverrideDecideForm(prefix=f"o{o.pk}")) for o in pending],
            "decided": selectors.overrides_for(user=request.user, month=month).exclude(status="pending")[
                :RECENT_DECISIONS],
            "follow_up": selectors.follow_up_by_awc(user=request.user, month=month),
            "repeated_threshold": selectors.REPEATED_FAILURES,
            "mismatches": selectors.mismatches(user=request.user, month=month),
        }, status=status)

    def get(self, request):
        return self._render(request)


class OverrideDecideView(RoleRequiredMixin, View):
    required_permissions = DECIDE
    personal_data = True  # a refused answer shows the supervision page again

    def post(self, request, pk: int):
        override = get_object_or_404(selectors.overrides_for(user=request.user), pk=pk)
        form = OverrideDecideForm(request.POST, prefix=f"o{override.pk}")
        if form.is_valid():
            with service_errors(form) as call:
                services.override_decide(actor=request.user, override=override, approve=form.cleaned_data["approve"],
                                         note=form.cleaned_data["note"])
            if call.ok:
                messages.success(request, _("Answer saved for %(name)s.") % {"name": override.beneficiary.name})
                return redirect("thr_frs:supervision")
        return SupervisionView(request=request)._render(request, forms={override.pk: form}, status=400)


class NearMissConfirmView(RoleRequiredMixin, View):
    """The supervisor confirms that a near miss was the enrolled person: the photo's encoding joins the face's
    gallery (thr_frs/services/gallery.py; audited; an override's approval never does this)."""

    required_permissions = DECIDE

    def post(self, request, pk: int):
        check = get_object_or_404(selectors.near_misses(user=request.user).select_related("beneficiary"), pk=pk)
        form = NearMissConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Tick the box to confirm that it was the enrolled person."))
        else:
            with service_errors_as_message(request) as call:
                near_miss_supervisor_confirm(actor=request.user, check=check)
            if call.ok:
                messages.success(request, _("The photo now helps to recognise the face of %(name)s.")
                                 % {"name": check.beneficiary.name})
        month = f"?month={check.month:%Y-%m}" if check.month else ""
        return redirect(f"{reverse('thr_frs:supervision')}{month}")


class ReportView(RoleRequiredMixin, View):
    """THR figures for the user's area, one row per location one level down (figures only, no names)."""

    required_permissions = REPORT

    def get(self, request, pk: int | None = None):
        area = user_area(request.user)
        if pk is None:
            location = area.location if area else None
        else:
            location = get_object_or_404(locations_visible_to(request.user), pk=pk)
        month = selectors.parse_month(request.GET.get("month"))
        rows, total = selectors.report_rows(user=request.user, location=location, month=month)
        return render(request, "thr_frs/report.html", {
            "location": location, "month": month, "months": selectors.month_choices(timezone.localdate()),
            "rows": rows, "total": total, "ancestors": visible_ancestors(request.user, location),
            "no_area": area is None,
        })


class FrsView(RoleRequiredMixin, View):
    """Face recognition figures one level down, the centres that struggle with a hint per reason, and the
    share of THR by face against fallbacks month by month (figures and place names only, no person's)."""

    required_permissions = REPORT

    def get(self, request, pk: int | None = None):
        area = user_area(request.user)
        if pk is None:
            place = area.location if area else None
        else:
            place = get_object_or_404(locations_visible_to(request.user), pk=pk)
        month = selectors.parse_month(request.GET.get("month"))
        report = selectors.frs_report(user=request.user, place=place, month=month) if area else None
        return render(request, "thr_frs/frs.html", {
            "report": report, "location": place, "month": month,
            "months": selectors.month_choices(timezone.localdate()),
            "ancestors": visible_ancestors(request.user, place), "no_area": area is None,
        })
