"""Attendance (with the hot cooked meal) and home visits, one by one or from the offline batch."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from anganwadi.selectors import own_awc, scope_queryset
from poshan.core.api import ScopedAPIMixin

from .. import selectors, services
from ..models import HomeVisit

WRITE_ATTENDANCE = ["beneficiaries.add_attendance"]
WRITE_VISIT = ["beneficiaries.add_homevisit"]


class AttendanceSheetSerializer(serializers.Serializer):
    date = serializers.DateField()
    present = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=400)
    hcm = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=400, required=False,
                                default=list)
    backdate_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    replace = serializers.BooleanField(required=False, default=False,
                                       help_text="true: the sheet replaces the day's attendance (a correction)")


class AttendanceResultSerializer(serializers.Serializer):
    saved = serializers.IntegerField()
    meals = serializers.IntegerField()
    already = serializers.ListField(child=serializers.IntegerField())
    rejected = serializers.ListField(child=serializers.DictField())
    replayed = serializers.BooleanField()


class HomeVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    beneficiary = serializers.IntegerField(source="beneficiary_id")
    date = serializers.DateField()
    purpose = serializers.ChoiceField(choices=HomeVisit.Purpose.choices)
    topic = serializers.ChoiceField(choices=HomeVisit.Topic.choices, required=False, default="")
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    backdate_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                            write_only=True)
    client_uuid = serializers.UUIDField(required=False, allow_null=True, write_only=True)


def record_attendance(user, payload: dict, client_uuid=None) -> dict:
    awc = own_awc(user, WRITE_ATTENDANCE)
    data = AttendanceSheetSerializer(data=payload)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    if v["replace"]:
        result = services.attendance_correct(actor=user, awc=awc, day=v["date"], present=v["present"], hcm=v["hcm"],
                                             backdate_reason=v["backdate_reason"])
    else:
        result = services.attendance_record(actor=user, awc=awc, day=v["date"], present=v["present"], hcm=v["hcm"],
                                            backdate_reason=v["backdate_reason"],
                                            client_uuid=client_uuid or v.get("client_uuid"))
    return result.as_json()


def record_home_visit(user, payload: dict, client_uuid=None) -> dict:
    awc = own_awc(user, WRITE_VISIT)
    data = HomeVisitSerializer(data=payload)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    person = selectors.scoped_beneficiaries(user).filter(awc=awc, pk=v["beneficiary_id"]).first()
    if person is None:
        raise serializers.ValidationError({"beneficiary": ["This person is not served by your centre."]})
    visit = services.home_visit_record(actor=user, awc=awc, beneficiary=person, day=v["date"], purpose=v["purpose"],
                                       topic=v.get("topic", ""), notes=v.get("notes", ""),
                                       backdate_reason=v["backdate_reason"],
                                       client_uuid=client_uuid or v.get("client_uuid"))
    return {"id": visit.pk, "beneficiary": visit.beneficiary_id, "date": visit.date.isoformat()}


class AttendanceViewSet(viewsets.ViewSet):
    """POST one day's attendance sheet for the caller's centre."""

    @extend_schema(request=AttendanceSheetSerializer, responses={201: AttendanceResultSerializer})
    def create(self, request):
        return Response(record_attendance(request.user, request.data), status=status.HTTP_201_CREATED)


class HomeVisitViewSet(ScopedAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = HomeVisit.objects.order_by("-date", "-pk")
    serializer_class = HomeVisitSerializer
    required_permissions = {"GET": ["beneficiaries.view_homevisit"], "POST": WRITE_VISIT}
    personal_data = True

    def scope_queryset(self, queryset, user):
        return scope_queryset(queryset, user)

    @extend_schema(request=HomeVisitSerializer, responses={201: HomeVisitSerializer})
    def create(self, request, *args, **kwargs):
        return Response(record_home_visit(request.user, request.data), status=status.HTTP_201_CREATED)
