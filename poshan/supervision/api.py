"""REST endpoints of the supervisor's month: her visits (list, record), a VHSND (record) and today's alerts — the
same selectors and services as the pages, scoped to the caller's area."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from anganwadi.models import Location
from poshan.core.api import ModelSerializer, RolePermission, ScopedAPIMixin

from . import selectors, services
from .models import (
    ActionItem,
    ChecklistItem,
    Condition,
    Owner,
    Vhsnd,
    VhsndService,
    Visit,
    VisitCheck,
)

READ = ["supervision.view_visit"]


class VisitCheckSerializer(ModelSerializer):
    item = serializers.ChoiceField(choices=ChecklistItem.choices)

    class Meta:
        model = VisitCheck
        fields = ["item", "ok", "note"]


class ActionSerializer(ModelSerializer):
    class Meta:
        model = ActionItem
        fields = ["id", "text", "owner", "due_on", "status", "carried_from"]


class VisitSerializer(ModelSerializer):
    checks = VisitCheckSerializer(many=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "awc", "on", "findings", "checks", "actions"]


class NewActionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    owner = serializers.ChoiceField(choices=Owner.choices)
    due_on = serializers.DateField()


class ClosingSerializer(serializers.Serializer):
    action = serializers.IntegerField()
    done = serializers.BooleanField()


class VisitInputSerializer(serializers.Serializer):
    awc = serializers.IntegerField()
    on = serializers.DateField()
    findings = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    checks = VisitCheckSerializer(many=True)
    closing = ClosingSerializer(many=True, required=False, default=list)
    actions = NewActionSerializer(many=True, required=False, default=list)
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class VisitViewSet(ScopedAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The visits to the centres of the caller's area, newest first (`?awc=` one centre); a supervisor records one."""

    queryset = Visit.objects.all()
    serializer_class = VisitSerializer
    required_permissions = {"GET": READ, "POST": ["supervision.add_visit"]}

    def scope_queryset(self, queryset, user):
        queryset = (queryset.filter(awc__in=selectors.supervised_awcs(user).values("pk"))
                    .prefetch_related("checks", "actions").order_by("-on", "-pk"))
        awc = self.request.query_params.get("awc")
        return queryset.filter(awc_id=awc) if awc and awc.isdigit() else queryset

    @extend_schema(request=VisitInputSerializer, responses={201: VisitSerializer})
    def create(self, request):
        data = VisitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        awc = get_object_or_404(selectors.supervised_awcs(request.user), pk=values["awc"])
        visit = services.visit_record(
            actor=request.user, awc=awc, on=values["on"], findings=values["findings"],
            client_uuid=values["client_uuid"],
            checks={c["item"]: (c["ok"], c.get("note", "")) for c in values["checks"]},
            closing={c["action"]: c["done"] for c in values["closing"]},
            actions=[services.NewAction(a["text"], a["owner"], a["due_on"]) for a in values["actions"]])
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class VhsndSerializer(ModelSerializer):
    awc = serializers.PrimaryKeyRelatedField(queryset=Location.objects.none())
    services = serializers.ListField(child=serializers.ChoiceField(choices=VhsndService.choices), allow_empty=False)

    class Meta:
        model = Vhsnd
        fields = ["id", "awc", "on", "services", "children_referred", "anm_present", "notes"]
        read_only_fields = ["id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["awc"].queryset = selectors.supervised_awcs(request.user)


class VhsndViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    """A Village Health Sanitation and Nutrition Day held at one of the supervisor's centres."""

    queryset = Vhsnd.objects.all()
    serializer_class = VhsndSerializer
    required_permissions = {"POST": ["supervision.add_vhsnd"]}

    def scope_queryset(self, queryset, user):
        return queryset.filter(awc__in=selectors.supervised_awcs(user).values("pk"))

    def create(self, request):
        data = VhsndSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        day = services.vhsnd_record(actor=request.user, **data.validated_data)
        return Response(VhsndSerializer(day).data, status=status.HTTP_201_CREATED)


class AlertLineSerializer(serializers.Serializer):
    awc = serializers.IntegerField(source="awc.pk")
    awc_name = serializers.CharField(source="awc.name")
    alert = serializers.ChoiceField(source="condition", choices=Condition.choices)  # "condition": the devices'
    label = serializers.CharField()
    figure = serializers.IntegerField(allow_null=True)
    since = serializers.DateField(allow_null=True)


class AlertBoardSerializer(serializers.Serializer):
    lines = AlertLineSerializer(many=True)
    more = serializers.IntegerField()
    last_run = serializers.DateTimeField(allow_null=True)


class AlertsView(APIView):
    """The alerts that concern the caller today, worked out from the facts (as on her home page)."""

    permission_classes = [RolePermission]
    required_permissions = {"GET": ["supervision.view_alert"]}

    @extend_schema(responses=AlertBoardSerializer)
    def get(self, request):
        return Response(AlertBoardSerializer(selectors.alerts_for(request.user)).data)
