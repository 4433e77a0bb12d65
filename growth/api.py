"""API: measurements (list, read, idempotent create) and each child's status and history."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from anganwadi.selectors import own_awc, scope_queryset
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import children_q, present_q, scoped_beneficiaries
from poshan.core.api import ScopedAPIMixin
from poshan.core.audit import personal_read_note
from poshan.core.ids import parse_id

from . import services
from .models import Measurement
from .serializers import ChildGrowthDetailSerializer, ChildGrowthSerializer, MeasurementSerializer


class MeasurementViewSet(ScopedAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Measurements of the children in the caller's area; filter by `child`. POST records one
    (send a `client_uuid`: a retry returns the first measurement with 200 instead of 201)."""

    serializer_class = MeasurementSerializer
    queryset = Measurement.objects.order_by("-date", "-id")
    required_permissions = {"GET": ["growth.view_measurement"], "POST": ["growth.add_measurement"]}
    personal_data = True

    def scope_queryset(self, queryset, user):
        queryset = scope_queryset(queryset, user, awc_field="child__awc")
        child = parse_id(self.request.query_params.get("child"))
        return queryset.filter(child_id=child) if child is not None else queryset

    @extend_schema(parameters=[OpenApiParameter("child", int, description="only this child's measurements")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_serializer(self, *args, **kwargs):
        if self.action == "create":
            today = timezone.localdate()
            kwargs["child_queryset"] = scoped_beneficiaries(self.request.user).filter(
                present_q(today), children_q(today)).select_related("awc")
        return super().get_serializer(*args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            measurement, created = services.measurement_record(
                actor=request.user, child=data["child"], date=data["date"], weight_kg=data["weight_kg"],
                lenhei_cm=data.get("lenhei_cm"), measure=data.get("measure", ""), muac_cm=data.get("muac_cm"),
                oedema=data.get("oedema", False), client_uuid=data.get("client_uuid"),
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        body = MeasurementSerializer(measurement).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ChildGrowthViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Children of the caller's area (ids, no names) with their nutrition status as of the last
    nightly run; a child's detail adds the measurement history."""

    queryset = Beneficiary.objects.select_related("growth_status").order_by("pk")
    required_permissions = {"GET": ["growth.view_childstatus", "growth.view_measurement"]}
    personal_data = True

    def get_serializer_class(self):
        return ChildGrowthDetailSerializer if self.action == "retrieve" else ChildGrowthSerializer

    def scope_queryset(self, queryset, user):
        today = timezone.localdate()
        return scope_queryset(queryset, user).filter(children_q(today))

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        personal_read_note(request, object_type="growth.childstatus", object_id="api:list")
        return response


def record_measurement(user, payload: dict, client_uuid=None) -> dict:
    """The offline queue's `measurement` item: the same checks and service as the endpoint above."""
    own_awc(user, ["growth.add_measurement"])  # a centre's worker, allowed to weigh (else 403)
    today = timezone.localdate()
    children = scoped_beneficiaries(user).filter(present_q(today), children_q(today)).select_related("awc")
    serializer = MeasurementSerializer(data={**payload, "client_uuid": str(client_uuid) if client_uuid else None},
                                       child_queryset=children)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    measurement, _created = services.measurement_record(
        actor=user, child=data["child"], date=data["date"], weight_kg=data["weight_kg"],
        lenhei_cm=data.get("lenhei_cm"), measure=data.get("measure", ""), muac_cm=data.get("muac_cm"),
        oedema=data.get("oedema", False), client_uuid=data.get("client_uuid"))
    return dict(MeasurementSerializer(measurement).data)
