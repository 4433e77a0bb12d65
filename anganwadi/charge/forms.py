from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HolderField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        place = obj.assignment.location.name if getattr(obj, "assignment", None) and obj.assignment.location else ""
        return f"{obj.get_full_name() or obj.username} · {obj.get_role_display()} · {place}"


class PlaceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.code}) · {obj.get_level_display()}"


class GrantForm(forms.Form):
    holder = HolderField(label=_("Who takes charge"), queryset=None)
    location = PlaceField(label=_("Of which centre or sector"), queryset=None,
                          help_text=_("A worker takes a centre, a supervisor a sector."))
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To (last day)"), widget=DATE, help_text=_("Access ends after this day."))
    reason = forms.CharField(label=_("Why"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = selectors.charge_holders(user)
        self.fields["location"].queryset = selectors.chargeable_places(user)
