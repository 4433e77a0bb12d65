"""Internet allowance endpoints: claims (own, or the area's for officers), payment and rejection by the approver."""
from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from poshan.core.api import ModelSerializer, ScopedAPIMixin

from ..selectors import locations_visible_to
from . import services
from .models import AllowanceClaim, AllowancePayment


class PaymentSerializer(ModelSerializer):
    class Meta:
        model = AllowancePayment
        fields = ["amount", "paid_on", "reference", "approved_by"]
        read_only_fields = fields


class ClaimSerializer(ModelSerializer):
    payment = PaymentSerializer(read_only=True, allow_null=True)
    period = serializers.CharField(read_only=True)

    class Meta:
        model = AllowanceClaim
        fields = ["id", "claimant", "role", "location", "period_start", "period", "amount", "status",
                  "submitted_at", "decided_by", "decided_at", "note", "payment", "client_uuid"]
        read_only_fields = ["id", "claimant", "role", "location", "period", "status", "submitted_at",
                            "decided_by", "decided_at", "note", "payment"]
        extra_kwargs = {"client_uuid": {"write_only": True, "required": False}}


class PayInputSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    reference = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class RejectInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300)


class ClaimViewSet(ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """My claims (and, for officers, the claims of my area); POST claims a quarter for myself.

    `pay` and `reject` are for the state's approver.
    """

    queryset = AllowanceClaim.objects.select_related("payment").order_by("-period_start", "-id")
    serializer_class = ClaimSerializer

    @property
    def required_permissions(self):
        if getattr(self, "action", None) in ("pay", "reject"):
            return {"POST": ["anganwadi.add_allowancepayment"]}
        return {"GET": ["anganwadi.view_allowanceclaim"], "POST": ["anganwadi.add_allowanceclaim"]}

    def scope_queryset(self, queryset, user):
        if self.action in ("pay", "reject"):
            return queryset.filter(pk__in=services.approvable_claims(user).values("pk"))
        mine = Q(claimant=user)
        if user.has_perm("anganwadi.view_allowance_figures"):
            mine |= Q(location__in=locations_visible_to(user))
        return queryset.filter(mine)

    def perform_create(self, serializer):
        v = serializer.validated_data
        claim, created = services.allowance_claim_submit(actor=self.request.user, period_start=v["period_start"],
                                                         amount=v["amount"], client_uuid=v.get("client_uuid"))
        serializer.instance = claim

    @extend_schema(request=PayInputSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        claim = self.get_object()
        data = PayInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.allowance_pay(actor=request.user, claim=claim, **data.validated_data)
        paid = AllowanceClaim.objects.select_related("payment").get(pk=claim.pk)
        return Response(ClaimSerializer(paid).data, status=status.HTTP_200_OK)

    @extend_schema(request=RejectInputSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        claim = self.get_object()
        data = RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.allowance_reject(actor=request.user, claim=claim, **data.validated_data)
        return Response(ClaimSerializer(claim).data)
