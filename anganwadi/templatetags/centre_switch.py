"""`{% centre_switch %}`: on every page of a worker who holds additional charge today, which centre she is working
and a small form to switch; for a supervisor holding a sector, a link to its dashboard. Nothing for anybody else;
no query: her area is already kept for the request."""
from django import template
from django.utils import timezone

from poshan.core.roles import Level

from ..selectors import user_area, user_awc, working_centres

register = template.Library()


@register.inclusion_tag("anganwadi/_centre_switch.html", takes_context=True)
def centre_switch(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"centres": []}
    area = user_area(user)
    if area is None:
        return {"centres": []}
    until = _last_days(area)
    if area.level == Level.SECTOR:
        return {"centres": [], "held": [(place, until[place.pk]) for place in area.charged()]}
    centres = working_centres(user)
    if len(centres) < 2:
        return {"centres": []}
    return {"centres": [(centre, until.get(centre.pk)) for centre in centres], "working": user_awc(user),
            "next": request.get_full_path(), "csrf_token": context.get("csrf_token")}


def _last_days(area) -> dict:
    """Each place held today → the last day of its grant."""
    today = timezone.localdate()
    return {c.location.pk: c.end for c in area.charges if c.start <= today <= c.end}
