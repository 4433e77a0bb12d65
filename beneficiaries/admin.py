"""Nothing of the beneficiaries is registered in the Django admin, on purpose.

People's records carry Aadhaar, mobile numbers and consent: they are reached only through the scoped,
audited pages and API (selectors.py, views.py, api/), never through a table an admin can browse. The
admin manages users, roles and locations (poshan/core/admin.py, anganwadi/admin.py).
"""
