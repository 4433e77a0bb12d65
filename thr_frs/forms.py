"""Shapes of the THR forms; the services decide everything else."""
from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Beneficiary, Consent

from .models import FaceOwner

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHOTO = forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "user", "class": "frs-photo"})


class SubmissionForm(forms.Form):
    """Every write carries a submission id, generated with the page so a resubmission is the same request."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)


class StockForm(SubmissionForm):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    packets = forms.IntegerField(label=_("Packets received"), min_value=1)
    note = forms.CharField(label=_("Note (challan number, supplier)"), max_length=200, required=False)


class PhotoForm(SubmissionForm):
    photo = forms.FileField(label=_("Live photo"), widget=PHOTO,
                            help_text=_("Face the camera in good light, with only one face in the frame."))

    def clean_photo(self):
        """Checked by content: a file that is not a picture never reaches the photo store."""
        from .uploads import is_photo

        photo = self.cleaned_data.get("photo")
        if photo and not is_photo(photo):
            raise forms.ValidationError(_("The photo could not be read. Take a new photo and try again."))
        return photo


class MatchForm(PhotoForm):
    # Required: a single photo may be a photo of a photo; the pair is refused unless the head turned (liveness.py).
    turned_photo = forms.FileField(
        label=_("Second photo, after turning the head"),
        error_messages={"required": _("Take the second photo after the person turns the head: one photo alone is "
                                      "not accepted.")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "user", "class": "frs-photo-turned"}),
        help_text=_("Ask the person to turn the head slowly to one side, then take this photo: a still picture "
                    "held up to the camera is refused."))
    quantity = forms.IntegerField(label=_("Packets"), min_value=1)

    def clean_turned_photo(self):
        from .uploads import is_photo

        photo = self.cleaned_data.get("turned_photo")
        if photo and not is_photo(photo):
            raise forms.ValidationError(_("The photo could not be read. Take a new photo and try again."))
        return photo
    nominee = forms.TypedChoiceField(label=_("Who is collecting"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, nominees: list[Beneficiary] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if nominees:
            self.fields["nominee"].choices = [("", _("The beneficiary (or the enrolled guardian)"))] + [
                (n.pk, _("Nominee: %(name)s") % {"name": n.name}) for n in nominees]
        else:
            del self.fields["nominee"]


class EnrolForm(PhotoForm):
    """Enrol a face: the person's own, or for a child the mother's, father's or guardian's; consent if missing."""

    person = forms.TypedChoiceField(label=_("Whose face"), coerce=int, required=False, empty_value=None)
    relation = forms.ChoiceField(label=_("Relation to the child"), choices=FaceOwner.Relation.choices,
                                 required=False)
    consent = forms.BooleanField(label=_("Consent for the face check was read out and given"), required=False,
                                 help_text=_("Only the face's numbers are kept, never the photo. Consent can be "
                                             "withdrawn at any time and the face is then erased."))
    consent_given_by = forms.CharField(label=_("Consent given by"), max_length=120, required=False)

    def __init__(self, *args, people: list[Beneficiary] = (), child: bool = False, ask_consent: bool = True,
                 photo_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].required = photo_required
        if people:
            self.fields["person"].choices = [(p.pk, p.name) for p in people]
            self.fields["person"].required = True
        else:
            del self.fields["person"]
        if not child:
            del self.fields["relation"]
        if not ask_consent:
            del self.fields["consent"]
            del self.fields["consent_given_by"]

    def consent_input(self):
        from beneficiaries.services import ConsentInput

        data = self.cleaned_data
        if not data.get("consent"):
            return None
        return ConsentInput(given_by=data.get("consent_given_by") or "", relation="self",
                            purposes=(Consent.Purpose.FACE,))


class OtpVerifyForm(SubmissionForm):
    code = forms.CharField(label=_("Code read out by the family"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "pattern": "[0-9]{6}"}))
    quantity = forms.IntegerField(label=_("Packets"), min_value=1)


class OverrideRequestForm(SubmissionForm):
    reason = forms.CharField(label=_("Why the ration must go without a face match"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))
    quantity = forms.IntegerField(label=_("Packets"), min_value=1)


class OverrideDecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Approve")), ("no", _("Reject"))], widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note for the worker"), max_length=300, required=False)


class NearMissConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I know this was the enrolled person"))


class NomineeForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Nominee (an adult of the family)"), coerce=int)

    def __init__(self, *args, people: list[Beneficiary] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.name) for p in people]


class ConfirmForm(SubmissionForm):
    """A button that carries a submission id (hand-over after an approved override)."""
