from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from poshan.core.api import ScopedAPIMixin
from poshan.core.ids import parse_id

from . import selectors, services
from .models import AwcDay, EcceActivity, Location
from .serializers import LocationSerializer, MeSerializer


class LocationViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Locations inside the caller's area; filter by `level` and `parent`."""

    serializer_class = LocationSerializer
    queryset = Location.objects.order_by("level", "code")
    required_permissions = {"GET": ["anganwadi.view_location"]}

    def scope_queryset(self, queryset, user):
        queryset = queryset.filter(pk__in=selectors.locations_visible_to(user).values("pk"))
        params = self.request.query_params
        if params.get("level"):
            queryset = queryset.filter(level=params["level"])
        if (parent := parse_id(params.get("parent"))) is not None:
            queryset = queryset.filter(parent_id=parent)
        return queryset


class MeView(APIView):
    """Who the caller is, their role and their area."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        area = selectors.user_area(request.user)
        return Response(MeSerializer(request.user, context={"area": area}).data)


# --- the centre's day ----------------------------------------------------------------------------------

class CentreDaySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField()
    opened = serializers.BooleanField()
    opened_at = serializers.TimeField(required=False, allow_null=True)
    closed_at = serializers.TimeField(read_only=True)
    not_open_reason = serializers.ChoiceField(choices=AwcDay.NotOpenReason.choices, required=False, allow_blank=True)
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, required=False, allow_null=True)
    backdate_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                            write_only=True)
    client_uuid = serializers.UUIDField(required=False, allow_null=True, write_only=True)


class CentreCloseSerializer(serializers.Serializer):
    date = serializers.DateField()
    closed_at = serializers.TimeField()


class EcceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField()
    activity = serializers.ChoiceField(choices=EcceActivity.Activity.choices)
    children = serializers.IntegerField(min_value=0)
    backdate_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                            write_only=True)
    client_uuid = serializers.UUIDField(required=False, allow_null=True, write_only=True)


def record_day(user, payload: dict, client_uuid=None) -> dict:
    """Open, or not open with a reason; a second submission for the day gets the first answer."""
    awc = selectors.own_awc(user, ["anganwadi.add_awcday"])
    data = CentreDaySerializer(data=payload)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    uuid_ = client_uuid or v.get("client_uuid")
    if v["opened"]:
        record, created = services.awc_day_open(
            actor=user, awc=awc, day=v["date"], opened_at=v.get("opened_at") or timezone.localtime().time(),
            latitude=v.get("latitude"), longitude=v.get("longitude"), backdate_reason=v["backdate_reason"],
            client_uuid=uuid_)
    else:
        record, created = services.awc_day_not_open(actor=user, awc=awc, day=v["date"],
                                                    reason=v.get("not_open_reason", ""),
                                                    backdate_reason=v["backdate_reason"], client_uuid=uuid_)
    return {**CentreDaySerializer(record).data, "first_answer": not created}


def record_close(user, payload: dict, client_uuid=None) -> dict:
    awc = selectors.own_awc(user, ["anganwadi.change_awcday"])
    data = CentreCloseSerializer(data=payload)
    data.is_valid(raise_exception=True)
    record = services.awc_day_close(actor=user, awc=awc, day=data.validated_data["date"],
                                    closed_at=data.validated_data["closed_at"])
    return CentreDaySerializer(record).data


def record_ecce(user, payload: dict, client_uuid=None) -> dict:
    awc = selectors.own_awc(user, ["anganwadi.add_ecceactivity"])
    data = EcceSerializer(data=payload)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    record, created = services.ecce_record(actor=user, awc=awc, day=v["date"], activity=v["activity"],
                                           children=v["children"], backdate_reason=v["backdate_reason"],
                                           client_uuid=client_uuid or v.get("client_uuid"))
    return {**EcceSerializer(record).data, "first_answer": not created}


class CentreDayViewSet(viewsets.ViewSet):
    """The caller's centre: open (or not open, with the reason) once a day, then close."""

    @extend_schema(request=CentreDaySerializer, responses={201: CentreDaySerializer})
    def create(self, request):
        return Response(record_day(request.user, request.data), status=status.HTTP_201_CREATED)

    @extend_schema(request=CentreCloseSerializer, responses=CentreDaySerializer)
    @action(detail=False, methods=["post"])
    def close(self, request):
        return Response(record_close(request.user, request.data))


class EcceViewSet(viewsets.ViewSet):
    @extend_schema(request=EcceSerializer, responses={201: EcceSerializer})
    def create(self, request):
        return Response(record_ecce(request.user, request.data), status=status.HTTP_201_CREATED)
