"""Register pages and PDFs: the worker's own centre, or any centre of an officer's area (else not found).

Every page view and PDF download lands in the audit log.
"""
from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views import View

from anganwadi.forms import FindCentreForm
from anganwadi.selectors import awcs_visible_to, user_awc
from poshan.core.audit import audit_record
from poshan.core.dates import add_months, first_of_month
from poshan.core.models import AuditEvent
from poshan.core.scoping import RoleRequiredMixin

from .pdf import render_pdf
from .selectors import REGISTERS, month_of, sheet_for

PAGE_SIZE = 25
REQUIRED = ("registers.view_registers",)


def _month(year: int, month: int):
    chosen = month_of(year, month, timezone.localdate())
    if chosen is None:
        raise Http404
    return chosen


class IndexView(RoleRequiredMixin, View):
    """A worker goes to her centre's registers for this month; officers find a centre of their area."""

    required_permissions = REQUIRED

    def get(self, request):
        today = timezone.localdate()
        own = user_awc(request.user)
        if own is not None:
            return redirect("registers:centre", pk=own.pk, year=today.year, month=today.month)
        form = FindCentreForm(request.GET or None)
        awcs = form.narrow(awcs_visible_to(request.user).order_by("name", "pk"))
        page = Paginator(awcs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "registers/index.html", {"form": form, "page": page, "today": today})


class CentreView(RoleRequiredMixin, View):
    """The registers of one centre and month, with the months before."""

    required_permissions = REQUIRED

    def get(self, request, pk: int, year: int, month: int):
        awc = get_object_or_404(awcs_visible_to(request.user), pk=pk)
        chosen = _month(year, month)
        today = timezone.localdate()
        months = [add_months(first_of_month(today), -back) for back in range(12)]
        return render(request, "registers/centre.html", {"awc": awc, "month": chosen, "months": months,
                                                         "registers": REGISTERS.values()})


class _RegisterMixin(RoleRequiredMixin):
    required_permissions = REQUIRED

    def prepare(self, request, pk: int, year: int, month: int, kind: str):
        register = REGISTERS.get(kind)
        if register is None:
            raise Http404
        awc = get_object_or_404(awcs_visible_to(request.user), pk=pk)
        sheet = sheet_for(user=request.user, awc=awc, month=_month(year, month), today=timezone.localdate())
        context = {"awc": awc, "sheet": sheet, "register": register, "data": register.build(sheet),
                   "body_template": register.template, "printed_at": timezone.localtime()}
        return register, awc, sheet, context


class RegisterView(_RegisterMixin, View):
    personal_data = True

    def get(self, request, pk: int, year: int, month: int, kind: str):
        register, awc, sheet, context = self.prepare(request, pk, year, month, kind)
        self.reading(object_type=f"registers.{kind}", object_id=f"{awc.pk}:{sheet.start:%Y-%m}", awc_id=awc.pk)
        return render(request, "registers/page.html", context)


class RegisterPdfView(_RegisterMixin, View):
    def get(self, request, pk: int, year: int, month: int, kind: str):
        register, awc, sheet, context = self.prepare(request, pk, year, month, kind)
        html = render_to_string("registers/pdf.html", context, request=request)
        pdf = render_pdf(html)
        audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type=f"registers.{kind}.pdf",
                     object_id=f"{awc.pk}:{sheet.start:%Y-%m}", awc_id=awc.pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{kind}-{awc.code}-{sheet.start:%Y-%m}.pdf"'
        return response
