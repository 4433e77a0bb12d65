"""Equipment pages: the centres of my area and their devices; one centre's devices and building, editable
by its worker and her supervisor."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from poshan.core.forms_util import service_errors
from poshan.core.scoping import RoleRequiredMixin

from ..forms import FindCentreForm
from ..selectors import awcs_visible_to, user_awc
from . import selectors, services
from .forms import DeviceForm, InfrastructureForm
from .models import DeviceKind

PAGE_SIZE = 25
CHANGE = "anganwadi.change_device"


class EquipmentListView(RoleRequiredMixin, View):
    """The AWCs of my area with what each has (a worker goes straight to her centre)."""

    required_permissions = ("anganwadi.view_device",)

    def get(self, request):
        own = user_awc(request.user)
        if own is not None:
            return redirect("anganwadi:equipment_centre", pk=own.pk)
        form = FindCentreForm(request.GET or None)
        awcs = form.narrow(selectors.equipment_awcs(request.user))
        page = Paginator(awcs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = selectors.centre_rows(list(page.object_list))
        return render(request, "equipment/list.html", {"form": form, "page": page, "rows": rows,
                                                       "kinds": DeviceKind.choices})


class CentreEquipmentView(RoleRequiredMixin, View):
    """One centre: each device's condition (forms for the worker and supervisor) and the building."""

    required_permissions = ("anganwadi.view_device",)
    personal_data = True

    def _awc(self, request, pk: int):
        return get_object_or_404(awcs_visible_to(request.user), pk=pk)

    def _context(self, request, awc, bound=None):
        equipment = selectors.centre_equipment(awc)
        can_change = request.user.has_perm(CHANGE)
        forms = []
        for kind, label, device in equipment.rows:
            initial = {"kind": kind, "condition": device.condition if device else "working",
                       "make": device.make if device else "", "issued_on": device.issued_on if device else None,
                       "issued_to": device.issued_to_id if device else None}
            form = DeviceForm(initial=initial, prefix=kind, awc=awc, kind=kind)
            if bound is not None and bound.prefix == kind:
                form = bound
            forms.append((kind, label, device, form if can_change else None))
        infra = equipment.infrastructure
        infra_form = InfrastructureForm(initial={name: getattr(infra, name) for name in InfrastructureForm.base_fields}
                                        if infra else None, prefix="infra")
        if bound is not None and bound.prefix == "infra":
            infra_form = bound
        stray = bound is not None and bound.prefix not in (*DeviceKind.values, "infra")
        return {"awc": awc, "equipment": equipment, "devices": forms, "can_change": can_change,
                "infra_form": infra_form if can_change else None,
                "page_errors": bound.non_field_errors() if stray else []}

    def get(self, request, pk: int):
        awc = self._awc(request, pk)
        self.reading(object_type="anganwadi.device", object_id=f"awc:{awc.pk}", awc_id=awc.pk)
        return render(request, "equipment/centre.html", self._context(request, awc))

    def post(self, request, pk: int):
        awc = self._awc(request, pk)
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied
        which = request.POST.get("which", "")
        if which == "infra":
            form = InfrastructureForm(request.POST, prefix="infra")
            if form.is_valid():
                _row, changed = services.infrastructure_record(actor=request.user, awc=awc, **form.cleaned_data)
                messages.success(request, _("Saved: the centre's building.") if changed else
                                 _("Nothing changed."))
                return redirect("anganwadi:equipment_centre", pk=awc.pk)
        else:
            form = DeviceForm(request.POST, prefix=which or "device", awc=awc, kind=which)
            if which not in DeviceKind.values:
                form.is_valid()
                form.add_error(None, _("Unknown device type “%(kind)s”.") % {"kind": which})
            elif form.is_valid():
                with service_errors(form) as call:
                    result = services.device_record(actor=request.user, awc=awc, **form.cleaned_data)
                if call.ok:
                    self._tell(request, result)
                    return redirect("anganwadi:equipment_centre", pk=awc.pk)
        return render(request, "equipment/centre.html", self._context(request, awc, bound=form), status=400)

    @staticmethod
    def _tell(request, result) -> None:
        label = result.device.get_kind_display()
        if not result.created and not result.changed:
            messages.info(request, _("Nothing changed for the %(device)s.") % {"device": label})
            return
        messages.success(request, _("Saved: %(device)s — %(condition)s.") % {
            "device": label, "condition": result.device.get_condition_display()})
        if result.grievance is not None:
            text = (_("A grievance was lodged for it: %(ref)s.") if result.grievance.created else
                    _("Its grievance %(ref)s is still being handled; no second one was lodged."))
            messages.info(request, text % {"ref": result.grievance.reference})
        elif result.grievance_missing_reason:
            messages.warning(request, result.grievance_missing_reason)
