"""A few demo grievances through the real services: from the app, on behalf, by phone; one resolved, one escalated."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from . import services
from .models import Category, Grievance


def build_demo_grievances() -> list[Grievance]:
    users = {u.username: u for u in get_user_model().objects.filter(username__endswith="_demo")}
    aww, supervisor, cdpo, helpline = (users.get(name) for name in
                                       ("aww_demo", "supervisor_demo", "cdpo_demo", "helpline_demo"))
    if aww is None or Grievance.objects.filter(lodged_by=aww).exists():
        return []
    made = [
        services.grievance_lodge(actor=aww, category=Category.APP,
                                 description="The app signs me out while I enter the weights of the children."),
        services.grievance_lodge(actor=aww, category=Category.PAYMENT,
                                 description="My honorarium for last month has not arrived."),
    ]
    if supervisor is not None:
        made.append(services.grievance_lodge(actor=supervisor, worker=aww, category=Category.SUPPLIES,
                                             description="THR stock for this month arrived short by 40 packets."))
    if helpline is not None:
        made.append(services.grievance_lodge(actor=helpline, awc=made[0].awc, category=Category.DEVICE,
                                             caller_name="Caller from the centre", caller_language="hi",
                                             description="The phone's screen is broken; she cannot use the app."))
    if cdpo is not None:
        services.grievance_start(actor=cdpo, grievance=made[0])
        services.grievance_resolve(actor=cdpo, grievance=made[0],
                                   note="The app was updated; please sign in again and it will stay signed in.")
    # Pretend the payment grievance sat too long at the district desk: the beat task would escalate it.
    payment = made[1]
    services.grievance_escalate(grievance_id=payment.pk, now=payment.due_at + dt.timedelta(minutes=1))
    return made
