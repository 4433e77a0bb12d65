"""Shapes of the THR API; the services decide."""
from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from beneficiaries.models import Beneficiary
from poshan.core.api import ModelSerializer

from .models import FaceCheck, FaceOwner, OtpChallenge, OverrideRequest, ThrDistribution, ThrStockEntry


class StockEntrySerializer(ModelSerializer):
    class Meta:
        model = ThrStockEntry
        fields = ["id", "awc", "received_on", "packets", "note", "recorded_by", "recorded_at", "client_uuid"]
        read_only_fields = ["awc", "recorded_by", "recorded_at"]


class DistributionSerializer(ModelSerializer):
    class Meta:
        model = ThrDistribution
        fields = ["id", "beneficiary", "awc", "month", "quantity", "handed_over_by", "handed_over_at", "verified_by",
                  "face_check", "nominee", "otp", "override", "failed_matches", "client_uuid"]
        read_only_fields = fields


@extend_schema_field({"type": "string", "enum": FaceCheck.Purpose.values}, component_name="FaceCheckPurpose")
class FaceCheckPurposeField(serializers.ChoiceField):
    """enrol | match, as a named schema component (other apps have fields called `purpose` too)."""

    def __init__(self, **kwargs):
        super().__init__(choices=FaceCheck.Purpose.choices, **kwargs)


class FaceCheckSerializer(ModelSerializer):
    purpose = FaceCheckPurposeField(read_only=True)
    distribution = serializers.SerializerMethodField()

    class Meta:
        model = FaceCheck
        fields = ["id", "client_uuid", "beneficiary", "person", "purpose", "via_nominee", "month", "quantity", "status",
                  "error", "distance", "matched", "tolerance", "distribution", "distribution_error", "created_at",
                  "finished_at", "duration_ms"]
        read_only_fields = fields

    def get_distribution(self, check) -> int | None:
        distribution = getattr(check, "distribution", None) if check.purpose == FaceCheck.Purpose.MATCH else None
        return distribution.pk if distribution else None


@extend_schema_field(OpenApiTypes.INT)
class ScopedBeneficiaryField(serializers.PrimaryKeyRelatedField):
    """A person of the caller's own centre (others do not exist for this endpoint)."""

    def get_queryset(self):
        from .selectors import centre_beneficiaries

        return centre_beneficiaries(self.context["request"].user)


class FaceCheckCreateSerializer(serializers.Serializer):
    beneficiary = ScopedBeneficiaryField()
    purpose = FaceCheckPurposeField()
    photo = serializers.FileField(help_text="JPEG, PNG or WebP; one face; kept in memory only")
    turned_photo = serializers.FileField(
        required=False, help_text="match: the frame taken after the person turned the head; with it, a still "
                                  "picture is refused before the match (the hand-over page always sends it)")
    quantity = serializers.IntegerField(required=False, min_value=1, help_text="match: packets to hand over")
    nominee = ScopedBeneficiaryField(required=False, help_text="match: the nominee collecting")
    person = ScopedBeneficiaryField(required=False, help_text="enrol: a child's guardian, or a nominee")
    as_nominee = serializers.BooleanField(required=False, default=False, help_text="enrol: `person` is a nominee")
    relation = serializers.ChoiceField(choices=FaceOwner.Relation.choices, required=False)
    consent_given_by = serializers.CharField(required=False, max_length=120,
                                             help_text="enrol: records consent for the face check")
    client_uuid = serializers.UUIDField(required=False)

    def validate_photo(self, photo):
        """Checked by content: a file that is not a picture never reaches the photo store."""
        from .uploads import is_photo

        if not is_photo(photo):
            raise serializers.ValidationError(_("The photo could not be read. Take a new photo and try again."))
        return photo

    validate_turned_photo = validate_photo


class OtpChallengeSerializer(ModelSerializer):
    class Meta:
        model = OtpChallenge
        fields = ["id", "beneficiary", "month", "sent_to", "expires_at", "attempts", "verified_at"]
        read_only_fields = fields


class OtpSendSerializer(serializers.Serializer):
    beneficiary = ScopedBeneficiaryField()


class OtpVerifySerializer(serializers.Serializer):
    code = serializers.RegexField(r"^\d{6}$")
    quantity = serializers.IntegerField(required=False, min_value=1)
    client_uuid = serializers.UUIDField(required=False)


class OverrideSerializer(ModelSerializer):
    beneficiary = serializers.PrimaryKeyRelatedField(queryset=Beneficiary.objects.none())

    class Meta:
        model = OverrideRequest
        fields = ["id", "beneficiary", "awc", "month", "quantity", "reason", "status", "requested_by", "requested_at",
                  "decided_by", "decided_at", "decision_note", "client_uuid"]
        read_only_fields = ["awc", "month", "status", "requested_by", "requested_at", "decided_by", "decided_at",
                            "decision_note"]
        extra_kwargs = {"quantity": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            from .selectors import centre_beneficiaries

            self.fields["beneficiary"].queryset = centre_beneficiaries(request.user)


class OverrideDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class HandoverSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(required=False)


class FiguresSerializer(serializers.Serializer):
    location = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    entitled = serializers.IntegerField()
    distributed = serializers.IntegerField()
    by_face = serializers.IntegerField()
    by_otp = serializers.IntegerField()
    by_nominee = serializers.IntegerField()
    by_override = serializers.IntegerField()
    match_failures = serializers.IntegerField()
    face_enrolled = serializers.IntegerField()
    face_captured_pct = serializers.FloatField(allow_null=True)
    thr_via_frs_pct = serializers.FloatField(allow_null=True)


class FiguresReportSerializer(serializers.Serializer):
    month = serializers.DateField()
    total = FiguresSerializer()
    rows = FiguresSerializer(many=True)
