"""The alerts at the top of the home page: `{% load supervision_tags %}{% supervision_alerts %}` (one line in
templates/home.html), shown to the officer they concern, worked out from today's facts."""
from __future__ import annotations

from django import template

from ..selectors import alerts_for

register = template.Library()


@register.inclusion_tag("supervision/_alerts.html", takes_context=True)
def supervision_alerts(context) -> dict:
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("supervision.view_alert"):
        return {"panel": None}
    return {"panel": {"board": alerts_for(user)}}
