from django import forms
from django.utils.translation import gettext_lazy as _

from poshan.core.forms_util import OfflineEntryForm

from .models import AwcDay, EcceActivity

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class OpenForm(OfflineEntryForm):
    opened_at = forms.TimeField(label=_("Opened at"), widget=TIME)
    latitude = forms.DecimalField(required=False, max_digits=8, decimal_places=5, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=8, decimal_places=5, widget=forms.HiddenInput)


class NotOpenForm(OfflineEntryForm):
    reason = forms.ChoiceField(label=_("Why the centre did not open"), choices=AwcDay.NotOpenReason.choices)


class FindCentreForm(forms.Form):
    """An officer finds a centre of her area by its code (a worker goes straight to her own)."""

    code = forms.IntegerField(label=_("AWC code"), required=False, min_value=1)

    def narrow(self, awcs):
        """The centres given, only the one of this code when a valid code was asked for."""
        return awcs.filter(code=self.cleaned_data["code"]) if self.is_valid() and self.cleaned_data["code"] else awcs


class CloseForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    closed_at = forms.TimeField(label=_("Closed at"), widget=TIME)


class EcceForm(OfflineEntryForm):
    activity = forms.ChoiceField(label=_("Activity"), choices=EcceActivity.Activity.choices)
    children = forms.IntegerField(label=_("Children who took part"), min_value=0, max_value=150)
