"""A measurement's result in plain language for the worker ("Weight normal; height moderately
low for age — stunted"), and a tone for its badge (ok / warn / bad)."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Class, Flag

OK, WARN, BAD = "ok", "warn", "bad"


@dataclass(frozen=True)
class Result:
    text: str
    tone: str
    remeasure: list[str]
    refer: bool


def _weight(code: int) -> str | None:
    return {
        Class.NORMAL: _("weight normal"),
        Class.MODERATE: _("weight moderately low for age — underweight"),
        Class.SEVERE: _("weight very low for age — severely underweight"),
    }.get(code)


def _height(code: int) -> str | None:
    return {
        Class.NORMAL: _("height normal for age"),
        Class.MODERATE: _("height moderately low for age — stunted"),
        Class.SEVERE: _("height very low for age — severely stunted"),
    }.get(code)


def _thinness(code: int) -> str | None:
    return {
        Class.NORMAL: _("weight normal for height"),
        Class.MODERATE: _("thin for height — wasted"),
        Class.SEVERE: _("very thin for height — severely wasted"),
    }.get(code)


def _acute(code: int, oedema: bool) -> str | None:
    if code == Class.SEVERE:
        if oedema:
            return _("swelling of both feet (oedema): severe acute malnutrition (SAM) — "
                     "treatment starts today, see the next step")
        return _("severe acute malnutrition (SAM) — treatment starts today, see the next step")
    if code == Class.MODERATE:
        return _("moderate acute malnutrition (MAM) — treatment at the centre, see the next step")
    return None


REMEASURE_TEXT = {
    Flag.WEIGHT_FOR_AGE: lambda: _("the weight looks wrong for the age"),
    Flag.HEIGHT_FOR_AGE: lambda: _("the length/height looks wrong for the age"),
    Flag.WEIGHT_FOR_HEIGHT: lambda: _("the weight looks wrong for the length/height"),
    Flag.MUAC_FOR_AGE: lambda: _("the MUAC looks wrong for the age"),
}


def describe(measurement) -> Result:
    """Plain-language result of a saved measurement (its stored classes and flags)."""
    parts: list[str] = []
    weight = _weight(measurement.underweight)
    height = _height(measurement.stunting)
    thin = _thinness(measurement.wasting)
    for phrase in (weight, height, thin):
        if phrase:
            parts.append(phrase)
    acute = _acute(measurement.acute, measurement.oedema)
    if acute:
        parts.append(acute)
    remeasure = [text() for bit, text in REMEASURE_TEXT.items() if measurement.flags & bit]
    if measurement.flags & Flag.STANDING_UNDER_9_MONTHS:
        parts.append(_("under 9 months, measure the length lying down"))
    if remeasure:
        parts.append(_("please measure again: %(what)s") % {"what": ", ".join(remeasure)})
    if not parts:
        parts.append(_("Not classified: the WHO standards cover children under 5 years"))
    text = "; ".join(parts)
    text = text[:1].upper() + text[1:]
    codes = (measurement.underweight, measurement.stunting, measurement.wasting, measurement.acute)
    refer = measurement.acute == Class.SEVERE
    if refer or Class.SEVERE in codes:
        tone = BAD
    elif Class.MODERATE in codes or remeasure:
        tone = WARN
    else:
        tone = OK
    return Result(text=text, tone=tone, remeasure=remeasure, refer=refer)
