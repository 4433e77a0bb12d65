"""Equipment endpoints: read the devices and buildings of my area; the worker or supervisor reports changes."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from poshan.core.api import ModelSerializer, ScopedAPIMixin
from poshan.core.ids import parse_id

from ..selectors import awcs_visible_to, scope_queryset, user_awc
from . import services
from .models import INFRASTRUCTURE_FIELDS, Condition, Device, DeviceKind, Infrastructure

UNKNOWN_KIND = gettext_lazy("Unknown device type “{input}”.")


class DeviceSerializer(ModelSerializer):
    awc_code = serializers.IntegerField(source="awc.code", read_only=True)
    imei_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Device
        fields = ["id", "awc", "awc_code", "kind", "condition", "condition_since", "make", "imei_masked",
                  "issued_on", "issued_to", "grievance_reference", "updated_at"]
        read_only_fields = fields


class DeviceReportSerializer(serializers.Serializer):
    awc = serializers.IntegerField(required=False, help_text="AWC id; a worker may leave it out (her centre)")
    kind = serializers.ChoiceField(choices=DeviceKind.choices, error_messages={"invalid_choice": UNKNOWN_KIND})
    condition = serializers.ChoiceField(choices=Condition.choices)
    make = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    imei = serializers.CharField(max_length=24, required=False, allow_blank=True, default="", write_only=True)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    issued_to = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class DeviceReportAnswerSerializer(DeviceSerializer):
    grievance_created = serializers.BooleanField(read_only=True)

    class Meta(DeviceSerializer.Meta):
        fields = [*DeviceSerializer.Meta.fields, "grievance_created"]
        read_only_fields = fields


class InfrastructureSerializer(ModelSerializer):
    awc = serializers.IntegerField(source="awc_id", required=False,
                                   help_text="AWC id; a worker may leave it out (her centre)")

    class Meta:
        model = Infrastructure
        fields = ["awc", "own_building", "drinking_water", "toilet", "electricity", "kitchen", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {name: {"required": True} for name in INFRASTRUCTURE_FIELDS}


def _centre(request, awc_id: int | None):
    """The AWC named (inside the caller's area, else 404), or the worker's own."""
    if awc_id is not None:
        return get_object_or_404(awcs_visible_to(request.user), pk=awc_id)
    own = user_awc(request.user)
    if own is None:
        raise ValidationError({"awc": _("Say which centre (its id).")})
    return own


_AWC_PARAM = OpenApiParameter("awc", int, description="only this AWC (id)")


class OneCentreParamMixin:
    """The user's scope, narrowed to one centre by ?awc=<id> (an id outside the scope finds nothing)."""

    def scope_queryset(self, queryset, user):
        queryset = scope_queryset(queryset, user)
        awc = parse_id(self.request.query_params.get("awc"))
        return queryset.filter(awc_id=awc) if awc is not None else queryset

    @extend_schema(parameters=[_AWC_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class DeviceViewSet(OneCentreParamMixin, ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Devices of the centres in the caller's area; POST reports a device (issue, condition, replacement)."""

    queryset = Device.objects.select_related("awc").order_by("awc_id", "kind")
    serializer_class = DeviceSerializer
    required_permissions = {"GET": ["anganwadi.view_device"], "POST": ["anganwadi.change_device"]}

    @extend_schema(request=DeviceReportSerializer, responses={201: DeviceReportAnswerSerializer,
                                                              200: DeviceReportAnswerSerializer})
    def create(self, request):
        data = DeviceReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        awc = _centre(request, v.pop("awc", None))
        issued_to = v.pop("issued_to")
        person = None
        if issued_to is not None:
            person = get_user_model().objects.filter(pk=issued_to).select_related("assignment").first()
            if person is None:
                raise ValidationError({"issued_to": _("Choose a worker or helper of this centre.")})
        result = services.device_record(actor=request.user, awc=awc, issued_to=person, **v)
        answer = DeviceReportAnswerSerializer(result.device).data
        answer["grievance_created"] = bool(result.grievance and result.grievance.created)
        return Response(answer, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class InfrastructureViewSet(OneCentreParamMixin, ScopedAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """What the centres' buildings have; POST records one centre's (all five answers)."""

    queryset = Infrastructure.objects.order_by("awc_id")
    serializer_class = InfrastructureSerializer
    required_permissions = {"GET": ["anganwadi.view_device"], "POST": ["anganwadi.change_device"]}

    @extend_schema(request=InfrastructureSerializer, responses={200: InfrastructureSerializer})
    def create(self, request):
        data = InfrastructureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        awc = _centre(request, v.pop("awc_id", None))
        row, _changed = services.infrastructure_record(actor=request.user, awc=awc, **v)
        return Response(InfrastructureSerializer(row).data)
