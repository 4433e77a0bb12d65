from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from beneficiaries.models import Beneficiary
from poshan.core.api import ModelSerializer

from .models import ChildStatus, Measurement
from .results import describe

CLASS_HELP = "-1 not assessed (or implausible), 0 normal, 1 moderate, 2 severe"
SCORE_FIELDS = ["waz", "haz", "whz", "baz", "acz", "flags", "underweight", "stunting", "wasting", "acute",
                "is_implausible"]


def class_field() -> serializers.IntegerField:
    """One class code (the same codes for every condition, documented once)."""
    return serializers.IntegerField(read_only=True, help_text=CLASS_HELP)


class MeasurementSerializer(ModelSerializer):
    """A measurement; on create the child must be one the caller may see (else 'does not exist')."""

    child = serializers.PrimaryKeyRelatedField(queryset=Beneficiary.objects.none())
    underweight, stunting, wasting, acute = class_field(), class_field(), class_field(), class_field()
    result = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = ["id", "client_uuid", "child", "awc", "date", "weight_kg", "lenhei_cm", "measure", "muac_cm",
                  "oedema", "clenhei_cm", *SCORE_FIELDS, "result", "created_at"]
        read_only_fields = ["awc", "clenhei_cm", *SCORE_FIELDS, "result", "created_at"]
        extra_kwargs = {"client_uuid": {"validators": []}}  # a replayed id answers with the first result

    def __init__(self, *args, child_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if child_queryset is not None:
            self.fields["child"].queryset = child_queryset

    def get_result(self, measurement) -> str:
        return describe(measurement).text


class ChildStatusSerializer(ModelSerializer):
    underweight, stunting, wasting, acute = class_field(), class_field(), class_field(), class_field()

    class Meta:
        model = ChildStatus
        fields = ["child", "awc", "measurement", "measured_on", "waz", "haz", "whz", "underweight", "stunting",
                  "wasting", "acute", "is_implausible", "faltering", "waz_change", "changed_on"]


class ChildGrowthSerializer(ModelSerializer):
    """A child's id and status (null until the first nightly run after registration)."""

    child = serializers.IntegerField(source="pk", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Beneficiary
        fields = ["child", "awc", "sex", "dob", "status"]

    @extend_schema_field(ChildStatusSerializer(allow_null=True))
    def get_status(self, child):
        status = getattr(child, "growth_status", None)
        return ChildStatusSerializer(status).data if status is not None else None


class ChildGrowthDetailSerializer(ChildGrowthSerializer):
    """…and every measurement, oldest first."""

    history = serializers.SerializerMethodField()

    class Meta(ChildGrowthSerializer.Meta):
        fields = [*ChildGrowthSerializer.Meta.fields, "history"]

    @extend_schema_field(MeasurementSerializer(many=True))
    def get_history(self, child):
        return MeasurementSerializer(child.measurements.order_by("date", "id"), many=True).data
