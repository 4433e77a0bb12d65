"""The centre's equipment: the programme's smartphone, growth-monitoring devices, and the building itself.

Models live in the anganwadi app (anganwadi/models.py imports them). A device reported
broken or lost opens a grievance through the signal signals.device_fault_reported, which the
grievances app (above anganwadi) listens to: anganwadi never imports it.
"""
