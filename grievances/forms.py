"""Forms check the shape of the input; the services decide (scope, routing, image content)."""
from __future__ import annotations

import uuid

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from poshan.core.params import DayField

from .models import HELPLINE_LANGUAGES, MAX_DESCRIPTION, MAX_NOTE, Category, Status
from .validators import MAX_SCREENSHOT_BYTES

WORKER_SELECT_LIMIT = 200  # above this many workers, the officer types the user name instead


class LodgeForm(forms.Form):
    """A worker lodging for herself (the base of the other two forms)."""

    category = forms.ChoiceField(label=_("What is it about?"), choices=[("", "—")] + Category.choices,
                                 error_messages={"required": _("Choose what the grievance is about.")})
    description = forms.CharField(label=_("Describe the problem"), max_length=MAX_DESCRIPTION,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages={"required": _("Describe the problem.")})
    screenshot = forms.FileField(
        label=_("Screenshot (optional)"), required=False,
        help_text=format_lazy(_("A picture (JPEG, PNG or WEBP), at most {mb} MB."), mb=MAX_SCREENSHOT_BYTES // 1024 // 1024),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    submission_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4())


class OnBehalfForm(LodgeForm):
    """An officer lodging for a worker of her area."""

    field_order = ["worker", "category", "description", "screenshot"]

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workers is not None and workers.count() <= WORKER_SELECT_LIMIT:
            self.fields["worker"] = forms.ModelChoiceField(
                label=_("Worker"), queryset=workers.select_related("assignment__location"),
                error_messages={"required": _("Choose a worker of your area.")},
            )
            self.fields["worker"].label_from_instance = (
                lambda u: f"{u.get_full_name() or u.username} — {u.assignment.location.name}"
            )
        else:
            self.fields["worker"] = forms.CharField(label=_("Worker's user name"), max_length=150)
        self.workers = workers
        self.order_fields(self.field_order)

    def clean_worker(self):
        value = self.cleaned_data["worker"]
        if isinstance(value, str):
            value = self.workers.filter(username=value.strip()).first() if self.workers is not None else None
            if value is None:
                raise forms.ValidationError(_("No worker of your area has that user name."))
        return value


class HelplineForm(LodgeForm):
    """The helpline operator recording a call: AWC by its code, the caller's language."""

    field_order = ["awc_code", "caller_name", "caller_language", "category", "description"]

    awc_code = forms.IntegerField(label=_("Anganwadi centre code"), min_value=1,
                                  error_messages={"required": _("Give the code of the caller's Anganwadi centre.")})
    caller_name = forms.CharField(label=_("Caller's name"), max_length=120, required=False)
    caller_language = forms.ChoiceField(label=_("Caller's language"), choices=[("", "—")] + HELPLINE_LANGUAGES,
                                        error_messages={"required": _("Choose the language the caller speaks.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["screenshot"]  # a phone call brings no picture
        self.order_fields(self.field_order)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username} ({u.get_role_display()})"
        )


class GrievanceFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any"))] + Status.choices)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("any"))] + Category.choices)


class MonthForm(forms.Form):
    month = DayField(label=_("Month lodged"), required=False, input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
