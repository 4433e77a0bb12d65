"""Events of the growth app that other apps may answer.

``flagging_finished`` is sent once a nightly flagging run has been closed (done or failed), with
``run_id`` and ``run_date``. The dashboards listen (poshan/dashboards/apps.py connects
poshan.dashboards.tasks.after_flagging) to queue the monthly rollups' refresh; growth never imports them.
"""
from __future__ import annotations

from django.dispatch import Signal

flagging_finished = Signal()
