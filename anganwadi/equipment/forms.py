from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from poshan.core.forms_util import DateInput, client_id_field
from poshan.core.roles import CENTRE_ROLES

from .imei import IMEI_LENGTH
from .models import Condition, DeviceKind

UNKNOWN_KIND = _("Unknown device type “%(value)s”.")


class DeviceForm(forms.Form):
    kind = forms.ChoiceField(choices=DeviceKind.choices, widget=forms.HiddenInput,
                             error_messages={"invalid_choice": UNKNOWN_KIND})
    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices)
    make = forms.CharField(label=_("Make and model"), max_length=60, required=False)
    imei = forms.CharField(label=_("IMEI (15 digits; dial *#06#)"), max_length=IMEI_LENGTH + 6, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                           help_text=_("Leave empty to keep the one recorded."))
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput)
    issued_to = forms.ModelChoiceField(label=_("Issued to"), queryset=get_user_model().objects.none(),
                                       required=False)
    note = forms.CharField(label=_("What happened (if broken, lost or repaired)"), max_length=300, required=False)
    client_uuid = client_id_field()

    def __init__(self, *args, awc=None, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(role__in=CENTRE_ROLES, is_active=True)
        self.fields["issued_to"].queryset = users.filter(assignment__location=awc) if awc else users.none()
        self.fields["issued_to"].label_from_instance = lambda user: user.get_full_name() or user.username
        if kind and kind != DeviceKind.SMARTPHONE:
            del self.fields["imei"]


class InfrastructureForm(forms.Form):
    own_building = forms.BooleanField(label=_("Own building"), required=False)
    drinking_water = forms.BooleanField(label=_("Drinking water"), required=False)
    toilet = forms.BooleanField(label=_("Toilet"), required=False)
    electricity = forms.BooleanField(label=_("Electricity"), required=False)
    kitchen = forms.BooleanField(label=_("Kitchen"), required=False)

