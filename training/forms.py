from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from poshan.core.forms_util import DateInput

from .models import VIDEO_LANGUAGES, Curriculum, Topic, VideoKind


class LibraryFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=[("", _("any"))] + Topic.choices)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("any"))] + VIDEO_LANGUAGES)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("any"))] + VideoKind.choices)


class QuizForm(forms.Form):
    """One radio group per question; field names are q<question id>."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text, coerce=int, widget=forms.RadioSelect,
                choices=list(enumerate(question.choices)),
                error_messages={"required": _("Answer this question.")},
            )

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    place = forms.CharField(label=_("Place"), max_length=200)
    location = forms.ModelChoiceField(label=_("Held in (area)"), queryset=None)
    trainer = forms.ModelChoiceField(label=_("Master trainer"), queryset=None)
    curriculum = forms.ChoiceField(label=_("Curriculum"), choices=Curriculum.choices)

    def __init__(self, *args, places, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = places
        self.fields["location"].label_from_instance = lambda loc: f"{loc.name} ({loc.get_level_display()})"
        self.fields["trainer"].queryset = trainers
        self.fields["trainer"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username} ({u.get_role_display()})"
        )


class AttendanceForm(forms.Form):
    workers = forms.ModelMultipleChoiceField(label=_("Workers present"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = workers.select_related("assignment__location")
        self.fields["workers"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username} — {u.assignment.location.name}"
        )


class CountsForm(forms.Form):
    curriculum = forms.ChoiceField(label=_("Curriculum"), required=False, choices=[("", _("both"))] + Curriculum.choices)
