"""The measurement form (shape only: the service decides what is possible) and small filters."""
from __future__ import annotations

import uuid
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.lifestage import SIX_MONTHS_DAYS
from poshan.core.forms_util import DateInput
from poshan.core.params import DayField

from .models import Measurement

HEIGHT_FROM_DAYS = 731  # from 2 years children are measured standing


class MeasurementForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("Date measured"), widget=DateInput)
    weight_kg = forms.DecimalField(
        label=_("Weight (kg)"), max_digits=5, decimal_places=2, help_text=_("As the scale shows, e.g. 9.35"),
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "inputmode": "decimal"}),
    )
    lenhei_cm = forms.DecimalField(
        label=_("Length / height (cm)"), required=False, max_digits=5, decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "inputmode": "decimal"}),
    )
    measure = forms.ChoiceField(label=_("How measured"), required=False, widget=forms.RadioSelect,
                                choices=Measurement.Measure.choices,
                                help_text=_("Lying down under 2 years, standing from 2 years"))
    muac_cm = forms.DecimalField(
        label=_("MUAC (cm)"), required=False, max_digits=4, decimal_places=1,
        help_text=_("Mid-upper arm circumference, from 6 months"),
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "inputmode": "decimal"}),
    )
    oedema = forms.TypedChoiceField(
        label=_("Swelling of both feet (bilateral pitting oedema)"), widget=forms.RadioSelect,
        choices=[("no", _("No")), ("yes", _("Yes"))], coerce=lambda v: v == "yes", initial="no",
    )

    def __init__(self, *args, child=None, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if child is not None and today is not None and not self.is_bound:
            age = (today - child.dob).days
            self.initial.setdefault("measure", "h" if age >= HEIGHT_FROM_DAYS else "l")
            if age < SIX_MONTHS_DAYS:
                self.fields["muac_cm"].help_text = _("Not measured under 6 months: leave empty")
        self.initial.setdefault("client_uuid", uuid.uuid4())
        self.initial.setdefault("date", today)


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), required=False, max_length=300,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. home visit, referred to NRC")}))


class MonthField(DayField):
    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class RisingFilterForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    level = forms.ChoiceField(label=_("Places"), required=False)
    condition = forms.ChoiceField(label=_("Sort by the rise of"), required=False, choices=[
        ("", _("any condition")), ("stunting", _("stunting")), ("wasting", _("wasting")),
        ("underweight", _("underweight")), ("sam", _("SAM")),
    ])

    def __init__(self, *args, levels: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = levels
