"""The centre's equipment: the programme's smartphone, growth-monitoring devices, and the building itself.

Models live in the anganwadi app (anganwadi/models.py imports them). A device reported
broken or lost opens a grievance through a hook (settings.EQUIPMENT_FAULT_HOOK): the
grievances app sits above anganwadi, so anganwadi never imports it.
"""
