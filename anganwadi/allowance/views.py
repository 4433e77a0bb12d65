"""Internet allowance pages: my claims, the state approver's queue, and due / paid / pending per area."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from poshan.core.forms_util import service_errors
from poshan.core.params import require_id
from poshan.core.scoping import RoleRequiredMixin

from ..selectors import visible_ancestors
from . import selectors, services
from .forms import ClaimForm, PayForm, PeriodForm, RejectForm
from .models import period_label


class MyAllowanceView(RoleRequiredMixin, View):
    """A worker's, supervisor's or block coordinator's own claims, and a new claim."""

    required_permissions = ("anganwadi.add_allowanceclaim",)

    def _render(self, request, form, status=200):
        most = services.quarter_entitlement(request.user.role)
        return render(request, "allowance/mine.html", {
            "form": form, "claims": selectors.my_claims(request.user)[:12], "most": most,
            "annual": services.annual_rate()}, status=status)

    def get(self, request):
        return self._render(request, ClaimForm(initial={"amount": services.quarter_entitlement(request.user.role)}))

    def post(self, request):
        form = ClaimForm(request.POST)
        if form.is_valid():
            with service_errors(form) as call:
                claim, created = services.allowance_claim_submit(actor=request.user, **form.cleaned_data)
            if call.ok:
                text = _("Claim sent: ₹%(amount)s for %(period)s.") if created else _(
                    "This claim was already sent: ₹%(amount)s for %(period)s.")
                messages.success(request, text % {"amount": claim.amount, "period": claim.period})
                return redirect("anganwadi:allowance")
        return self._render(request, form, status=400)


class ApprovalView(RoleRequiredMixin, View):
    """The state official's queue: pay (with the bank reference) or reject each claim."""

    required_permissions = ("anganwadi.add_allowancepayment",)

    def _render(self, request, bound=None, bound_pk=None, status=200):
        period = PeriodForm(request.GET or None)
        queue = list(selectors.approval_queue(request.user)[:100])
        today = timezone.localdate()
        rows = []
        for claim in queue:
            pay, reject = PayForm(initial={"paid_on": today}, prefix=f"pay{claim.pk}"), RejectForm(
                prefix=f"reject{claim.pk}")
            if bound is not None and bound_pk == claim.pk:
                pay, reject = (bound, reject) if isinstance(bound, PayForm) else (pay, bound)
            rows.append((claim, pay, reject))
        return render(request, "allowance/approve.html", {"rows": rows, "period": period}, status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        claim = get_object_or_404(services.approvable_claims(request.user),
                                  pk=require_id(request.POST.get("claim"), name="claim"))
        paying = request.POST.get("action") == "pay"
        form = (PayForm if paying else RejectForm)(request.POST, prefix=f"{'pay' if paying else 'reject'}{claim.pk}")
        if form.is_valid():
            with service_errors(form) as call:
                if paying:
                    services.allowance_pay(actor=request.user, claim=claim, **form.cleaned_data)
                else:
                    services.allowance_reject(actor=request.user, claim=claim, **form.cleaned_data)
            if call.ok:
                messages.success(request, (_("Paid: ₹%(amount)s to %(name)s for %(period)s.") if paying else
                                           _("Rejected: the claim of %(name)s for %(period)s.")) % {
                    "amount": claim.amount, "name": claim.claimant.get_full_name() or claim.claimant.username,
                    "period": claim.period})
                return redirect("anganwadi:allowance_approve")
        return self._render(request, bound=form, bound_pk=claim.pk, status=400)


class FiguresView(RoleRequiredMixin, View):
    """Due, claimed, paid and pending for a quarter, per place one level down; click a row to go lower."""

    required_permissions = ("anganwadi.view_allowance_figures",)

    def get(self, request, pk: int | None = None):
        location = selectors.resolve_place(request.user, pk)
        if location is False:
            raise Http404
        form = PeriodForm(request.GET or None)
        period = form.chosen()
        rows, total = selectors.allowance_figures(location=location, period_start=period)
        return render(request, "allowance/figures.html", {
            "form": form, "location": location, "rows": rows, "total": total, "period": period_label(period),
            "ancestors": visible_ancestors(request.user, location), "query": request.GET.urlencode()})
