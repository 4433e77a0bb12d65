"""The next protocol step for the child a measurement is about, in plain words (the result page)."""
from __future__ import annotations

from django import template
from django.utils import timezone

from growth.cases import selectors
from growth.cases.models import CaseEvent
from growth.cases.words import step_text, why_text

register = template.Library()


@register.simple_tag
def case_after(measurement) -> dict | None:
    """The case this measurement opened or followed up, with what is due next (two queries), or None."""
    event = (CaseEvent.objects.filter(measurement_id=measurement.pk).select_related("case__child")
             .order_by("-id").first())
    if event is None:
        return None
    today = timezone.localdate()
    [(case, state)] = selectors.with_states([event.case], today=today)
    nxt = state.next_step
    return {"case": case, "state": state, "opened": event.kind == "identified", "refer": why_text(state.refer_because),
            "next": step_text(nxt.step) if nxt else "", "next_on": nxt.on if nxt else None,
            "today": nxt is not None and nxt.on <= today}
