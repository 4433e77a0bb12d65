from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def condition_label(code: str) -> str:
    return {"stunting": _("Stunting"), "wasting": _("Wasting"), "underweight": _("Underweight"),
            "sam": _("SAM")}.get(code, code)
