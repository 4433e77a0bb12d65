"""Additional charge pages: the CDPO grants and ends charges of her project; a worker holding two centres
switches the one she works."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from poshan.core.forms_util import service_errors, service_errors_as_message
from poshan.core.params import require_id
from poshan.core.scoping import RoleRequiredMixin

from . import selectors, services
from .forms import GrantForm
from .middleware import SESSION_KEY


class ChargesView(RoleRequiredMixin, View):
    """The project's charges (held now, to come, ended) and the form to grant one."""

    required_permissions = ("anganwadi.add_additionalcharge", "anganwadi.view_additionalcharge")

    def _render(self, request, form, status=200):
        return render(request, "anganwadi/charges.html",
                      {"form": form, "rows": selectors.charge_rows(request.user)}, status=status)

    def get(self, request):
        return self._render(request, GrantForm(user=request.user))

    def post(self, request):
        form = GrantForm(request.POST, user=request.user)
        if form.is_valid():
            with service_errors(form) as call:
                charge = services.charge_grant(actor=request.user, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("%(name)s holds %(place)s from %(start)s to %(end)s.") % {
                    "name": charge.holder.get_full_name() or charge.holder.username, "place": charge.location.name,
                    "start": charge.start.strftime("%d-%m-%Y"), "end": charge.end.strftime("%d-%m-%Y")})
                return redirect("anganwadi:charges")
        return self._render(request, form, status=400)


class ChargeRevokeView(RoleRequiredMixin, View):
    """End a charge of the project today (POST)."""

    required_permissions = ("anganwadi.change_additionalcharge",)
    http_method_names = ["post"]

    def post(self, request, pk: int):
        charge = get_object_or_404(selectors.charges_visible_to(request.user), pk=pk)
        with service_errors_as_message(request) as call:
            services.charge_revoke(actor=request.user, charge=charge)
        if call.ok:
            messages.success(request, _("The charge has ended."))
        return redirect("anganwadi:charges")


class CentreSwitchView(RoleRequiredMixin, View):
    """A worker holding additional charge picks the centre her daily pages work (POST from the switch)."""

    required_permissions = ("anganwadi.add_awcday",)
    http_method_names = ["post"]

    def post(self, request):
        awc_id = require_id(request.POST.get("awc"), name="awc")
        with service_errors_as_message(request) as call:
            centre = services.centre_choose(actor=request.user, awc_id=awc_id)
        if call.ok:
            request.session[SESSION_KEY] = centre.pk
            messages.success(request, _("You are working %(place)s.") % {"place": centre.name})
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = "home"
        return redirect(target)
