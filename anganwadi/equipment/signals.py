"""Events of the centre's equipment that other apps may answer.

``device_fault_reported`` is sent by ``device_record`` inside its transaction when a device is newly
reported broken or lost, with ``actor``, ``device`` and ``note``. The grievances app, which lies above
anganwadi, listens (grievances/apps.py connects grievances/device_faults.py) and answers with
``(FaultGrievance | None, reason)``: anganwadi never imports grievances.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

device_fault_reported = Signal()


@dataclass(frozen=True)
class FaultGrievance:
    """What a listener answers: the grievance that follows the fault, and whether it is new."""

    id: int
    reference: str
    created: bool
