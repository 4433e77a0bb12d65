"""The forms of each step of a malnutrition case (shape only: the services decide)."""
from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .words import APPETITE_TEXT, DANGER_SIGN_TEXT, MEDICINE_TEXT, REFERRAL_OUTCOME_TEXT

DATE = forms.DateInput(attrs={"type": "date"})
DECIMAL = {"inputmode": "decimal", "min": "0"}


class StepForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("client_uuid", uuid.uuid4())
        self.initial.setdefault("date", today)


class AppetiteForm(StepForm):
    result = forms.ChoiceField(label=_("Appetite test"), widget=forms.RadioSelect,
                               choices=list(APPETITE_TEXT.items()),
                               help_text=_("Give the energy-dense food or RUTF and watch the child eat it"))
    reason = forms.CharField(label=_("Why not done"), required=False, max_length=300)


class ComplicationsForm(StepForm):
    signs = forms.MultipleChoiceField(label=_("Danger signs found (leave all empty if none)"), required=False,
                                      widget=forms.CheckboxSelectMultiple, choices=list(DANGER_SIGN_TEXT.items()))


class ReferralForm(StepForm):
    facility = forms.CharField(label=_("NRC or health facility"), max_length=300)


class ReferralOutcomeForm(StepForm):
    outcome = forms.ChoiceField(label=_("What came of the referral"), widget=forms.RadioSelect,
                                choices=list(REFERRAL_OUTCOME_TEXT.items()))
    weight_kg = forms.DecimalField(label=_("Weight (kg)"), required=False, max_digits=5, decimal_places=2,
                                   widget=forms.NumberInput(attrs={"step": "0.05", **DECIMAL}))


class ScreeningForm(StepForm):
    findings = forms.CharField(label=_("What the doctor found"), required=False, max_length=300)
    medicines = forms.MultipleChoiceField(label=_("Medicines given"), required=False,
                                          widget=forms.CheckboxSelectMultiple, choices=list(MEDICINE_TEXT.items()))


class FollowUpForm(StepForm):
    weight_kg = forms.DecimalField(label=_("Weight (kg)"), max_digits=5, decimal_places=2,
                                   widget=forms.NumberInput(attrs={"step": "0.05", **DECIMAL}))
    muac_cm = forms.DecimalField(label=_("MUAC (cm)"), required=False, max_digits=4, decimal_places=1,
                                 widget=forms.NumberInput(attrs={"step": "0.1", **DECIMAL}))
    oedema = forms.TypedChoiceField(label=_("Swelling of both feet (bilateral pitting oedema)"),
                                    widget=forms.RadioSelect, choices=[("no", _("No")), ("yes", _("Yes"))],
                                    coerce=lambda v: v == "yes", initial="no")
    appetite = forms.ChoiceField(label=_("Appetite test"), required=False, widget=forms.RadioSelect,
                                 choices=[(rules.PASSED, APPETITE_TEXT[rules.PASSED]),
                                          (rules.FAILED, APPETITE_TEXT[rules.FAILED])])
    illness = forms.CharField(label=_("Illness since the last visit"), required=False, max_length=300)
    complications = forms.MultipleChoiceField(label=_("Danger signs found"), required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              choices=list(DANGER_SIGN_TEXT.items()))


class BuddyMotherForm(StepForm):
    name = forms.CharField(label=_("Buddy mother's name"), max_length=300,
                           help_text=_("The mother of a healthy child who will visit every week"))


class BuddyVisitForm(StepForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class CounsellingForm(StepForm):
    topic = forms.CharField(label=_("What was discussed"), required=False, max_length=300)


class ExitForm(StepForm):
    outcome = forms.ChoiceField(label=_("How the treatment ended"), widget=forms.RadioSelect, choices=[
        (rules.DIED, _("The child died")), (rules.MOVED, _("Moved away")),
        (rules.REFERRED_NOT_RETURNED, _("Referred and not returned"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
