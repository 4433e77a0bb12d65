from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from poshan.core.forms_util import DateInput, client_id_field

from .lifestage import Category
from .models import Beneficiary, Consent, Household, Pregnancy, Transfer
from .services import EnrolAs

ENROL_CHOICES = [
    (EnrolAs.CHILD, _("Child under 6")),
    (EnrolAs.PREGNANT, _("Pregnant woman")),
    (EnrolAs.LACTATING, _("Mother who delivered in the last 6 months")),
    (EnrolAs.ADOLESCENT, _("Adolescent girl 14–18")),
    (EnrolAs.MEMBER, _("Other family member")),
]


class ConsentFields(forms.Form):
    consent_purposes = forms.MultipleChoiceField(
        label=_("The family agrees to"), choices=Consent.Purpose.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Read each purpose aloud. Without consent only the name, sex and age are kept."),
    )
    consent_given_by = forms.CharField(label=_("Consent given by"), max_length=120, required=False)
    consent_relation = forms.CharField(label=_("Relation to the person"), max_length=40, required=False,
                                       initial=_("self"))


class PersonFields(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    sex = forms.ChoiceField(label=_("Sex"), choices=Beneficiary.Sex.choices, widget=forms.RadioSelect)
    dob = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    age_years = forms.IntegerField(label=_("Age in years (if the date of birth is not known)"), required=False,
                                   min_value=0, max_value=120)
    relation_to_head = forms.ChoiceField(label=_("Relation to head"), choices=Beneficiary.Relation.choices,
                                         initial=Beneficiary.Relation.OTHER)
    disability = forms.ChoiceField(label=_("Disability"), choices=Beneficiary.Disability.choices, required=False)
    is_resident = forms.BooleanField(label=_("Lives here (resident)"), required=False, initial=True)
    aadhaar = forms.CharField(label=_("Aadhaar number (optional)"), max_length=14, required=False,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class RegisterForm(PersonFields, ConsentFields):
    """One page: the household (existing or new), the person, what they are enrolled as, consent."""

    household = forms.ModelChoiceField(label=_("Family"), queryset=Household.objects.none(), required=False,
                                       empty_label=_("— a new family —"))
    head_name = forms.CharField(label=_("Head of the new family"), max_length=120, required=False)
    hamlet = forms.CharField(label=_("Hamlet / ward"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    social_category = forms.ChoiceField(label=_("Social category"), choices=Household.SocialCategory.choices,
                                        required=False)
    is_minority = forms.BooleanField(label=_("Minority"), required=False)
    mobile = forms.CharField(label=_("Family mobile number"), max_length=16, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    enrol_as = forms.ChoiceField(label=_("Enrol as"), choices=ENROL_CHOICES, initial=EnrolAs.MEMBER)
    lmp = forms.DateField(label=_("Last menstrual period (pregnant women)"), required=False, widget=DateInput)
    delivery_date = forms.DateField(label=_("Date of delivery (mothers)"), required=False, widget=DateInput)
    client_uuid = client_id_field()
    # Shown only with the service's warning of a likely duplicate; otherwise a hidden "no".
    confirm_duplicate = forms.BooleanField(label=_("Yes, this is a different person"), required=False)

    field_order = ["household", "head_name", "hamlet", "address", "social_category", "is_minority", "mobile",
                   "name", "sex", "dob", "age_years", "relation_to_head", "enrol_as", "lmp", "delivery_date",
                   "disability", "is_resident", "aadhaar", "consent_purposes", "consent_given_by",
                   "consent_relation", "client_uuid", "confirm_duplicate"]

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if households is not None:
            self.fields["household"].queryset = households

    def clean(self):
        data = super().clean()
        if not data.get("household") and not data.get("head_name"):
            self.add_error("head_name", _("Choose the family, or write the name of the new family's head."))
        return data


class EditForm(PersonFields, ConsentFields):
    pass


class PregnancyForm(forms.Form):
    lmp = forms.DateField(label=_("Last menstrual period (LMP)"), widget=DateInput)
    client_uuid = client_id_field()


class DeliveryForm(forms.Form):
    delivery_date = forms.DateField(label=_("Date of delivery"), widget=DateInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in Pregnancy.Outcome.choices if c[0]],
                                initial=Pregnancy.Outcome.LIVE_BIRTH)
    child_name = forms.CharField(label=_("Baby's name"), max_length=120, required=False,
                                 help_text=_("'Baby of' and the mother's name is fine until a name is chosen."))
    child_sex = forms.ChoiceField(label=_("Baby's sex"), choices=Beneficiary.Sex.choices, required=False,
                                  widget=forms.RadioSelect)
    birth_weight_kg = forms.DecimalField(label=_("Birth weight (kg)"), required=False, min_value=Decimal("0.5"),
                                         max_value=Decimal("6.5"), decimal_places=2)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "live_birth" and data.get("child_name") and not data.get("child_sex"):
            self.add_error("child_sex", _("Choose the baby's sex."))
        return data


class TransferForm(forms.Form):
    to_awc_code = forms.IntegerField(label=_("Code of the receiving Anganwadi centre"), min_value=1)
    kind = forms.ChoiceField(label=_("Kind of move"), choices=Transfer.Kind.choices, widget=forms.RadioSelect)
    expected_return = forms.DateField(label=_("Expected return (temporary moves)"), required=False, widget=DateInput)


class PullForm(forms.Form):
    aadhaar = forms.CharField(label=_("Aadhaar number of the person who moved here"), max_length=14,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=_("Kind of move"), choices=Transfer.Kind.choices, widget=forms.RadioSelect)
    expected_return = forms.DateField(label=_("Expected return (temporary moves)"), required=False, widget=DateInput)


class ExitForm(forms.Form):
    """Nothing is chosen for the worker, and leaving is recorded only once she confirms it."""

    reason = forms.ChoiceField(label=_("Reason for leaving"), widget=forms.RadioSelect,
                               choices=[c for c in Beneficiary.ExitReason.choices if c[0] != "aged_out"],
                               error_messages={"required": _("Choose a reason for leaving.")})
    confirm = forms.BooleanField(label=_("Yes, this person has left the programme."),
                                 error_messages={"required": _("Tick the box to confirm, or go back.")})


class ExitUndoForm(forms.Form):
    reason = forms.CharField(label=_("Why is leaving being undone?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("For example: Death was chosen by mistake; she still comes to the centre."),
                             error_messages={"required": _("Write why the exit is being undone.")})


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search name, family or mobile"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories"))] + Category.choices)
    show = forms.ChoiceField(label=_("Show"), required=False, choices=[
        ("current", _("In the programme now")), ("all", _("Everyone registered")), ("left", _("Left the programme")),
    ])


class LifeStageUndoForm(forms.Form):
    reason = forms.CharField(label=_("Why is this change being reversed?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example: the delivery date was entered wrongly and has been corrected."),
                             error_messages={"required": _("Write why the change is being reversed.")})
