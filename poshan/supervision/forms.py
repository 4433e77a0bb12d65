"""The shape of a visit (checklist, findings, the last visit's actions checked, new actions) and of a VHSND."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poshan.core.forms_util import DateInput, client_id_field
from poshan.core.params import DayField

from . import rules
from .models import ActionItem, ChecklistItem, Owner, VhsndService
from .services import NewAction

YES_NO = (("yes", _("Yes")), ("no", _("No")))
DONE_NOT_DONE = (("done", _("Done")), ("not_done", _("Not done")))


class VisitForm(forms.Form):
    on = DayField(label=_("Date of visit"), widget=DateInput)
    findings = forms.CharField(label=_("Findings"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    client_uuid = client_id_field()

    def __init__(self, *args, open_actions: list[ActionItem] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        labels = dict(ChecklistItem.choices)
        for item in rules.CHECKLIST:
            self.fields[f"check_{item}"] = forms.ChoiceField(label=labels[item], choices=YES_NO,
                                                             widget=forms.RadioSelect)
            self.fields[f"note_{item}"] = forms.CharField(label=_("Note"), max_length=200, required=False)
        self.open_actions = list(open_actions)
        for action in self.open_actions:
            self.fields[f"action_{action.pk}"] = forms.ChoiceField(label=action.text, choices=DONE_NOT_DONE,
                                                                   widget=forms.RadioSelect)
        for i in range(rules.NEW_ACTIONS_PER_VISIT):
            self.fields[f"new_{i}_text"] = forms.CharField(label=_("New action"), max_length=300, required=False)
            self.fields[f"new_{i}_owner"] = forms.ChoiceField(label=_("Who"), required=False,
                                                              choices=[("", "—"), *Owner.choices])
            self.fields[f"new_{i}_due"] = DayField(label=_("Due by"), required=False, widget=DateInput)

    def checklist_rows(self):
        return [(self[f"check_{item}"], self[f"note_{item}"]) for item in rules.CHECKLIST]

    def action_fields(self):
        return [(action, self[f"action_{action.pk}"]) for action in self.open_actions]

    def new_action_rows(self):
        return [(self[f"new_{i}_text"], self[f"new_{i}_owner"], self[f"new_{i}_due"])
                for i in range(rules.NEW_ACTIONS_PER_VISIT)]

    def clean(self):
        data = super().clean()
        for i in range(rules.NEW_ACTIONS_PER_VISIT):
            parts = [data.get(f"new_{i}_text"), data.get(f"new_{i}_owner"), data.get(f"new_{i}_due")]
            if any(parts) and not all(parts):
                self.add_error(f"new_{i}_text", _("Give the action, who does it and by when."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "on": data["on"], "findings": data["findings"], "client_uuid": data.get("client_uuid"),
            "checks": {item: (data[f"check_{item}"] == "yes", data[f"note_{item}"]) for item in rules.CHECKLIST},
            "closing": {a.pk: data[f"action_{a.pk}"] == "done" for a in self.open_actions},
            "actions": [NewAction(data[f"new_{i}_text"], data[f"new_{i}_owner"], data[f"new_{i}_due"])
                        for i in range(rules.NEW_ACTIONS_PER_VISIT) if data.get(f"new_{i}_text")],
        }


class VhsndForm(forms.Form):
    on = DayField(label=_("Date"), widget=DateInput)
    services = forms.MultipleChoiceField(label=_("Services given"), choices=VhsndService.choices,
                                         widget=forms.CheckboxSelectMultiple)
    children_referred = forms.IntegerField(label=_("Children referred"), min_value=0, max_value=500, initial=0)
    anm_present = forms.BooleanField(label=_("The ANM was there"), required=False, initial=True)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
