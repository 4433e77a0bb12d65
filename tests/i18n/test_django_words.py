"""The words Django itself puts on a worker's page — month and day names in dates, the errors of a form field,
the sign-in error — are in her language too. Django ships catalogues for some of the portal's languages only
(none for Gujarati, Odia, Assamese, Santali…, an incomplete one for Tamil); where it has none, the portal's own
catalogue (locale/<code>) carries these entries, so a wrong input is never answered in English."""
from datetime import date

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import dateformat, translation

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)


class Weighing(forms.Form):
    """The shapes of the daily forms' fields: a required date, a bounded number, a whole number, a choice."""
    on = forms.DateField()
    weight = forms.DecimalField(min_value=0.5, max_value=60, decimal_places=2)
    children = forms.IntegerField(min_value=0, max_value=80)
    purpose = forms.ChoiceField(choices=[("anc", "anc")])
    closed_at = forms.TimeField()
    photo = forms.ImageField(required=False)


def errors(data: dict) -> list[str]:
    form = Weighing(data)
    form.is_valid()
    return [message for field in form.errors.values() for message in field]


def image_errors() -> list[str]:
    form = Weighing({"on": "2026-11-09", "weight": "8.1", "children": "1", "purpose": "anc", "closed_at": "17:00"},
                    {"photo": SimpleUploadedFile("face.jpg", b"not a photo", content_type="image/jpeg")})
    form.is_valid()
    return list(form.errors.get("photo", []))


def english() -> dict[str, list[str]]:
    with translation.override("en"):
        return words()


def words() -> dict[str, list[str]]:
    every_month = [date(2026, m, 9) for m in range(1, 13)]
    every_day = [date(2026, 11, d) for d in range(2, 9)]
    return {
        "months": [dateformat.format(d, "F") for d in every_month],
        "short months": [dateformat.format(d, "M") for d in every_month],
        "days": [dateformat.format(d, "l") for d in every_day],
        "short days": [dateformat.format(d, "D") for d in every_day],
        "empty form": errors({}),
        "wrong form": errors({"on": "32-13-2026", "weight": "abc", "children": "2.5", "purpose": "x", "closed_at": "25:61"}),
        "out of range": errors({"on": "2026-11-09", "weight": "99", "children": "-1", "purpose": "anc", "closed_at": "17:00"}),
        "too precise": errors({"on": "2026-11-09", "weight": "8.125", "children": "81", "purpose": "anc", "closed_at": "17:00"}),
        "not a photo": image_errors(),
        "sign-in": [str(AuthenticationForm.error_messages["invalid_login"])],
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_djangos_own_words_are_translated(language):
    base = english()
    with translation.override(language):
        said = words()
    untranslated = {kind: [w for w, e in zip(said[kind], base[kind], strict=True) if w == e]
                    for kind in base}
    assert not any(untranslated.values()), {k: v for k, v in untranslated.items() if v}
