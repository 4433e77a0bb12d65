"""How a person's age and consent read on every page, in the active language.

{{ b.dob|age }} (today) or {{ b.dob|age:on }}; {{ consent|consent_purposes }}; {{ consent|consent_relation }}.
"""
from __future__ import annotations

from datetime import date

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.lifestage import age_text
from beneficiaries.models import Consent

register = template.Library()


@register.filter
def age(dob: date | None, on: date | None = None) -> str:
    if not dob:
        return ""
    return age_text(dob, on or timezone.localdate())


@register.filter
def consent_purposes(consent: Consent) -> str:
    """The purposes agreed to, by their translated labels (in the order the form offers them)."""
    labels = dict(Consent.Purpose.choices)
    known = [str(labels[code]) for code in labels if code in consent.purposes]
    return "; ".join(known + [code for code in consent.purposes if code not in labels])


@register.filter
def consent_relation(consent: Consent) -> str:
    """Who gave the consent to the person: "self" is stored as a code, anything else as the worker typed it."""
    return _("self") if consent.relation.strip().lower() == "self" else consent.relation
