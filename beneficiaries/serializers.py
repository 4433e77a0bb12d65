from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from poshan.core.api import ModelSerializer

from .lifestage import Category
from .models import Beneficiary, Consent, Household, Pregnancy, Transfer
from .selectors import categories_of
from .services import EDITABLE, EnrolAs


class ConsentSerializer(serializers.Serializer):
    given_by = serializers.CharField(max_length=120)
    relation = serializers.CharField(max_length=40, default="self")
    purposes = serializers.ListField(child=serializers.ChoiceField(choices=Consent.Purpose.choices), min_length=1)


class HouseholdSerializer(ModelSerializer):
    mobile_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Household
        fields = ["id", "awc", "head_name", "hamlet", "address", "social_category", "is_minority", "mobile_masked"]


class HouseholdCreateSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    head_name = serializers.CharField(max_length=120)
    hamlet = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    social_category = serializers.ChoiceField(choices=Household.SocialCategory.choices, required=False, default="")
    is_minority = serializers.BooleanField(required=False, default=False)
    mobile = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    consent = ConsentSerializer(required=False, allow_null=True)


class BeneficiarySerializer(ModelSerializer):
    aadhaar_masked = serializers.CharField(read_only=True)
    is_aadhaar_seeded = serializers.BooleanField(read_only=True)
    categories = serializers.SerializerMethodField()

    class Meta:
        model = Beneficiary
        fields = ["id", "awc", "household", "name", "sex", "dob", "dob_estimated", "relation_to_head", "disability",
                  "is_resident", "aadhaar_masked", "is_aadhaar_seeded", "mother", "birth_weight_kg", "categories",
                  "exited_on", "exit_reason"]

    def get_categories(self, obj) -> list[str]:
        return categories_of(obj, timezone.localdate())


class BeneficiaryCreateSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    household = serializers.IntegerField()
    name = serializers.CharField(max_length=120)
    sex = serializers.ChoiceField(choices=Beneficiary.Sex.choices)
    dob = serializers.DateField(required=False, allow_null=True)
    age_years = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    relation_to_head = serializers.ChoiceField(choices=Beneficiary.Relation.choices, default="other")
    disability = serializers.ChoiceField(choices=Beneficiary.Disability.choices, required=False, default="")
    is_resident = serializers.BooleanField(default=True)
    aadhaar = serializers.CharField(max_length=14, required=False, allow_blank=True, default="")
    enrol_as = serializers.ChoiceField(choices=[(c, c) for c in EnrolAs.CHOICES], default=EnrolAs.MEMBER)
    lmp = serializers.DateField(required=False, allow_null=True)
    delivery_date = serializers.DateField(required=False, allow_null=True)
    consent = ConsentSerializer(required=False, allow_null=True)
    confirm_duplicate = serializers.BooleanField(
        default=False, help_text="true after the answer 'confirm_duplicate' (a likely duplicate at the centre): "
                                 "the worker confirmed this is a different person")


class BeneficiaryUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    sex = serializers.ChoiceField(choices=Beneficiary.Sex.choices, required=False)
    dob = serializers.DateField(required=False)
    relation_to_head = serializers.ChoiceField(choices=Beneficiary.Relation.choices, required=False)
    disability = serializers.ChoiceField(choices=Beneficiary.Disability.choices, required=False)
    is_resident = serializers.BooleanField(required=False)
    aadhaar = serializers.CharField(max_length=14, required=False, allow_blank=True)
    consent = ConsentSerializer(required=False, allow_null=True)

    def changes(self) -> dict:
        return {k: v for k, v in self.validated_data.items() if k in EDITABLE}


class PregnancySerializer(ModelSerializer):
    class Meta:
        model = Pregnancy
        fields = ["id", "woman", "lmp", "edd", "delivery_date", "outcome"]


class PregnancyCreateSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    woman = serializers.IntegerField()
    lmp = serializers.DateField()


class NewbornSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    sex = serializers.ChoiceField(choices=Beneficiary.Sex.choices)
    birth_weight_kg = serializers.DecimalField(max_digits=4, decimal_places=2, required=False, allow_null=True,
                                               min_value=Decimal("0.5"), max_value=Decimal("6.5"))


class DeliverySerializer(serializers.Serializer):
    delivery_date = serializers.DateField()
    outcome = serializers.ChoiceField(choices=[c for c in Pregnancy.Outcome.choices if c[0]])
    newborns = NewbornSerializer(many=True, required=False, default=list)


class TransferSerializer(ModelSerializer):
    """A move; for a pull not yet accepted, the asking centre sees only its request.

    (selectors.transfers_mark_hidden marks which rows hide their person.)
    """

    beneficiary_name = serializers.CharField(source="beneficiary.name", read_only=True)
    aadhaar_masked = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = ["id", "beneficiary", "beneficiary_name", "aadhaar_masked", "from_awc", "to_awc", "kind", "status",
                  "pulled", "expected_return", "requested_at", "decided_at"]

    def get_aadhaar_masked(self, transfer) -> str:
        """The number the asking centre typed, masked, to tell its requests apart."""
        return transfer.beneficiary.aadhaar_masked if transfer.pulled else ""

    def to_representation(self, transfer):
        data = super().to_representation(transfer)
        if getattr(transfer, "person_hidden", transfer.pulled):  # unmarked: hidden, to fail closed
            data.update(beneficiary=None, beneficiary_name="", from_awc=None)
        return data


class TransferCreateSerializer(serializers.Serializer):
    beneficiary = serializers.IntegerField()
    to_awc_code = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=Transfer.Kind.choices)
    expected_return = serializers.DateField(required=False, allow_null=True)


class TransferPullSerializer(serializers.Serializer):
    aadhaar = serializers.CharField(max_length=14)
    kind = serializers.ChoiceField(choices=Transfer.Kind.choices)
    expected_return = serializers.DateField(required=False, allow_null=True)


CATEGORY_CHOICES = Category.choices


class RegisterSearchSerializer(serializers.Serializer):
    """A register search in a request's body: a number typed here never reaches an address or a log."""

    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=[("", "")] + Category.choices, required=False, default="")
    show = serializers.ChoiceField(choices=["current", "all", "left"], required=False, default="current")
