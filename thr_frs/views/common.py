"""Helpers shared by the THR pages."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone

from beneficiaries.models import Beneficiary
from poshan.core.audit import personal_read_note
from poshan.core.scoping import RoleRequiredMixin

from .. import selectors

HANDOVER = ("thr_frs.add_thrdistribution",)
FACE = ("thr_frs.add_facecheck",)
REGISTER = ("thr_frs.view_thrdistribution",)
STOCK = ("thr_frs.view_thrstockentry",)
DECIDE = ("thr_frs.change_overriderequest",)
REPORT = ("thr_frs.view_thr_report",)
TOO_MANY_REQUESTS = 429


def centre_beneficiary(request, pk: int) -> Beneficiary:
    """A person of the worker's own centre (anyone else's, or any non-centre user: 404)."""
    people = selectors.centre_beneficiaries(request.user).select_related("household", "awc", "mother")
    beneficiary = get_object_or_404(people, pk=pk)
    personal_read_note(request, obj=beneficiary)  # what a personal_data page of hers audits
    return beneficiary


class CentreMixin(RoleRequiredMixin):
    """A page of the worker's own centre: AWW/AWH with the permission, fetching through the centre."""

    required_permissions = HANDOVER

    @classmethod
    def admits(cls, user) -> bool:
        return super().admits(user) and selectors.centre_of(user) is not None  # else the pages answer 403

    def today(self):
        return timezone.localdate()
