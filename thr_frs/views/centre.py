"""The centre's THR pages: who is entitled this month, stock, the distribution register."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from poshan.core.forms_util import service_errors
from poshan.core.scoping import RoleRequiredMixin

from .. import selectors, services
from ..entitlement import reference_day
from ..forms import StockForm
from .common import REGISTER, STOCK, CentreMixin

PAGE_SIZE = 50


class ThrHomeView(CentreMixin, View):
    """This month at my centre: the entitled, who has received, stock on hand."""
    personal_data = True

    def get(self, request):
        awc = selectors.centre_of(request.user)
        if awc is None:
            raise PermissionDenied
        today = timezone.localdate()
        month = selectors.parse_month(request.GET.get("month"), today)
        on = reference_day(month, today)
        page = Paginator(selectors.entitled_people(user=request.user, on=on), PAGE_SIZE).get_page(
            request.GET.get("page"))
        rows = selectors.register_rows(list(page), month=month, on=on)
        self.reading(object_type="thr_frs.entitled", object_id=f"{month:%Y-%m}:page{page.number}", awc_id=awc.pk)
        return render(request, "thr_frs/home.html", {
            "awc": awc, "month": month, "months": selectors.month_choices(today), "page": page, "rows": rows,
            "stock": selectors.stock_summary(awc.pk, month), "is_current": month == today.replace(day=1),
            "query": f"month={month:%Y-%m}",
        })


class StockView(RoleRequiredMixin, View):
    """Stock received this month, and (for the worker) a form to record a delivery."""

    required_permissions = STOCK

    def _render(self, request, form, status=200):
        month = selectors.parse_month(request.GET.get("month"))
        awc = selectors.centre_of(request.user)
        can_add = awc is not None and request.user.has_perm("thr_frs.add_thrstockentry")
        return render(request, "thr_frs/stock.html", {
            "awc": awc, "month": month, "months": selectors.month_choices(timezone.localdate()),
            "entries": selectors.stock_entries(user=request.user, month=month),
            "summary": selectors.stock_summary(awc.pk, month) if awc else None,
            "form": form if can_add else None,
        }, status=status)

    def get(self, request):
        return self._render(request, StockForm(initial={"received_on": timezone.localdate()}))

    def post(self, request):
        awc = selectors.centre_of(request.user)
        if awc is None or not request.user.has_perm("thr_frs.add_thrstockentry"):
            raise PermissionDenied
        form = StockForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with service_errors(form) as call:
                services.stock_receive(actor=request.user, awc=awc, received_on=data["received_on"],
                                       packets=data["packets"], note=data["note"], client_uuid=data["client_uuid"])
            if call.ok:
                messages.success(request, _("%(n)s packets recorded.") % {"n": data["packets"]})
                return redirect("thr_frs:stock")
        return self._render(request, form, status=400)


class DistributionRegisterView(RoleRequiredMixin, View):
    """The monthly distribution register of the centres the user may see (names: centre and supervisor)."""

    required_permissions = REGISTER
    personal_data = True

    def get(self, request):
        month = selectors.parse_month(request.GET.get("month"))
        page = Paginator(selectors.distribution_register(user=request.user, month=month), PAGE_SIZE).get_page(
            request.GET.get("page"))
        self.reading(object_type="thr_frs.thrdistribution", object_id=f"{month:%Y-%m}:page{page.number}")
        return render(request, "thr_frs/register.html", {
            "month": month, "months": selectors.month_choices(timezone.localdate()), "page": page,
            "query": f"month={month:%Y-%m}",
        })
