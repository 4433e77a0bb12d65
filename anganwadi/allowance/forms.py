from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poshan.core.forms_util import ClientIdForm, DateInput

from . import rules
from .models import period_label

SHOWN_QUARTERS = 8


def quarter_choices(count: int) -> list[tuple[str, str]]:
    return [(start.isoformat(), period_label(start)) for start in
            rules.previous_quarters(timezone.localdate(), count)]


class ClaimForm(ClientIdForm):
    period_start = forms.TypedChoiceField(label=_("Quarter"), coerce=date.fromisoformat, choices=())
    amount = forms.IntegerField(label=_("Amount spent on internet data (₹)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].choices = quarter_choices(rules.CLAIMABLE_QUARTERS)


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    reference = forms.CharField(label=_("Bank reference (UTR)"), max_length=40, required=False)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why it is rejected"), max_length=300)


class PeriodForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Quarter"), coerce=date.fromisoformat, choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = quarter_choices(SHOWN_QUARTERS)

    def chosen(self) -> date:
        if self.is_valid() and self.cleaned_data.get("period"):
            return self.cleaned_data["period"]
        return rules.quarter_start(timezone.localdate())
