"""A device reported broken or lost becomes a grievance (category "device"), lodged by the reporter.

anganwadi's equipment service sends anganwadi.equipment.signals.device_fault_reported inside its
transaction; GrievancesConfig.ready() connects lodge_device_grievance to it (grievances lies above
anganwadi, so the listener lives here). While the device's last grievance is still open or in
progress, that one is answered, never a second.
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from anganwadi.equipment.signals import FaultGrievance
from poshan.core.roles import CENTRE_ROLES, Role

from . import selectors as grievance_selectors
from . import services as grievances
from .models import ACTIVE_STATUSES, Category, Grievance


def _worker_for(actor, device):
    """Whom an officer lodges for: the worker the device was issued to, else the centre's worker."""
    workers = grievance_selectors.workers_for_lodging(actor).filter(assignment__location=device.awc)
    if device.issued_to_id and workers.filter(pk=device.issued_to_id).exists():
        return workers.get(pk=device.issued_to_id)
    return workers.filter(role=Role.AWW).order_by("pk").first() or workers.order_by("pk").first()


def lodge_device_grievance(*, actor, device, note: str = "", **_signal) -> tuple[FaultGrievance | None, str]:
    """(grievance, "") — or (None, why none could be lodged). Receiver of device_fault_reported."""
    if device.grievance_id:
        active = Grievance.objects.filter(pk=device.grievance_id, status__in=ACTIVE_STATUSES).values_list(
            "pk", "reference").first()
        if active is not None:
            return FaultGrievance(active[0], active[1] or "", created=False), ""
    description = _("%(device)s of centre %(name)s (%(code)s) reported %(condition)s.") % {
        "device": device.get_kind_display(), "name": device.awc.name, "code": device.awc.code,
        "condition": device.get_condition_display().lower()}
    if device.imei:
        description += " " + _("IMEI %(imei)s.") % {"imei": device.imei_masked}
    if note:
        description += " " + note
    if getattr(actor, "role", "") in CENTRE_ROLES:
        grievance = grievances.grievance_lodge(actor=actor, category=Category.DEVICE, description=description)
    else:
        worker = _worker_for(actor, device)
        if worker is None:
            return None, _("No grievance was lodged: no worker of this centre has an account.")
        grievance = grievances.grievance_lodge(actor=actor, worker=worker, category=Category.DEVICE,
                                               description=description)
    return FaultGrievance(grievance.pk, grievance.reference or "", created=True), ""
