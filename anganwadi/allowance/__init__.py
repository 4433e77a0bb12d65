"""The internet allowance: claims per person per quarter, payment by the state's approver, figures per area.

Models live in the anganwadi app (anganwadi/models.py imports them); the rule is in rules.py.
"""
