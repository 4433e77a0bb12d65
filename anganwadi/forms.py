from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AwcDay, EcceActivity

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayFields(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    backdate_reason = forms.CharField(label=_("Why entered late (only for past days)"), max_length=200,
                                      required=False)
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)


class OpenForm(DayFields):
    opened_at = forms.TimeField(label=_("Opened at"), widget=TIME)
    latitude = forms.DecimalField(required=False, max_digits=8, decimal_places=5, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=8, decimal_places=5, widget=forms.HiddenInput)


class NotOpenForm(DayFields):
    reason = forms.ChoiceField(label=_("Why the centre did not open"), choices=AwcDay.NotOpenReason.choices)


class CloseForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    closed_at = forms.TimeField(label=_("Closed at"), widget=TIME)


class EcceForm(DayFields):
    activity = forms.ChoiceField(label=_("Activity"), choices=EcceActivity.Activity.choices)
    children = forms.IntegerField(label=_("Children who took part"), min_value=0, max_value=150)
