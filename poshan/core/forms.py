from django import forms
from django.utils.translation import gettext_lazy as _

from .forms_util import DateInput
from .models import AuditEvent
from .roles import LEVEL_ORDER, Level
from .selectors import area_awc_ids


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User name"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("any"))] + AuditEvent.Action.choices)
    awc_id = forms.IntegerField(label=_("AWC id"), required=False, min_value=1)
    # The area: events at the AWCs inside one place (by its code and level).
    location_code = forms.IntegerField(label=_("Place code (empty: your whole area)"), required=False, min_value=1)
    level = forms.ChoiceField(label=_("Level of that code"), required=False,
                              choices=[("", "—")] + [(lv, Level(lv).label) for lv in LEVEL_ORDER[1:]])
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        code, level = data.get("location_code"), data.get("level")
        data["area_awcs"] = None
        if code:
            if not level:
                self.add_error("level", _("Say which level this code is."))
            else:
                data["area_awcs"] = area_awc_ids(level=level, code=code)
                if data["area_awcs"] is None:
                    self.add_error("location_code", _("No place has this code at that level."))
        return data
