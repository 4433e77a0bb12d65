"""The supervisor's review of the nightly life-stage changes in her area, and their reversal (with a reason)."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from poshan.core.forms_util import service_errors
from poshan.core.scoping import RoleRequiredMixin

from . import selectors
from .forms import LifeStageUndoForm
from .services.exits import UNDO_PERMISSION
from .services.lifestages import can_undo_life_stage_change, life_stage_change_undo


class LifeStageChangesView(RoleRequiredMixin, View):
    required_permissions = (UNDO_PERMISSION,)
    personal_data = True  # the people's names

    def get(self, request):
        return self._page(request, None, None)

    def post(self, request, pk: int):
        change = get_object_or_404(selectors.life_stage_changes(request.user), pk=pk)
        form = LifeStageUndoForm(request.POST)
        if form.is_valid():
            with service_errors(form) as call:
                life_stage_change_undo(actor=request.user, change=change, reason=form.cleaned_data["reason"])
            if call.ok:
                messages.success(request, _("The change for %(name)s is reversed.") % {"name": change.beneficiary.name})
                return redirect("beneficiaries:life_stages")
        return self._page(request, change.pk, form, status=400)

    def _page(self, request, failed_pk, failed_form, status=200):
        changes = list(selectors.life_stage_changes(request.user))
        self.reading(object_type="beneficiaries.lifestagechange", object_id="review")
        rows = [(c, can_undo_life_stage_change(request.user, c),
                 failed_form if c.pk == failed_pk else LifeStageUndoForm(auto_id=f"u{c.pk}-%s")) for c in changes]
        return render(request, "beneficiaries/life_stages.html",
                      {"rows": rows, "days": selectors.LIFE_STAGE_REVIEW_DAYS}, status=status)
