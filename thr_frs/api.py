"""THR API (thin): the same services as the pages, scoped the same way.

Face checks accept a multipart photo with the in-memory upload handler (never a
temporary file) and answer 202 with the pending check; poll GET /face-checks/{id}/.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from anganwadi.selectors import locations_visible_to, scope_queryset, user_area
from beneficiaries.models import Consent
from beneficiaries.services import ConsentInput
from poshan.core.api import ScopedAPIMixin
from poshan.core.ids import parse_id

from . import ratelimit, selectors, services
from .models import FaceCheck, OtpChallenge, OverrideRequest, ThrDistribution, ThrStockEntry
from .serializers import (DistributionSerializer, FaceCheckCreateSerializer, FaceCheckSerializer,
                          FiguresReportSerializer, HandoverSerializer, OtpChallengeSerializer, OtpSendSerializer,
                          OtpVerifySerializer, OverrideDecideSerializer, OverrideSerializer, StockEntrySerializer)
from .uploads import photo_too_large, use_memory_uploads

MONTH = OpenApiParameter("month", str, description="YYYY-MM (default: this month)")


class StockEntryViewSet(ScopedAPIMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """THR stock received at the centres in the caller's area; the centre's worker records deliveries."""

    serializer_class = StockEntrySerializer
    queryset = ThrStockEntry.objects.order_by("-received_on", "-id")
    required_permissions = {"GET": ["thr_frs.view_thrstockentry"], "POST": ["thr_frs.add_thrstockentry"]}

    def scope_queryset(self, queryset, user):
        return scope_queryset(queryset, user)

    def perform_create(self, serializer):
        awc = selectors.centre_of(self.request.user)
        if awc is None:
            raise PermissionDenied
        data = serializer.validated_data
        serializer.instance = services.stock_receive(
            actor=self.request.user, awc=awc, received_on=data["received_on"], packets=data["packets"],
            note=data.get("note", ""), client_uuid=data.get("client_uuid"))


@extend_schema(parameters=[MONTH])
class DistributionViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The monthly THR distribution register of the caller's area."""

    serializer_class = DistributionSerializer
    queryset = ThrDistribution.objects.order_by("handed_over_at", "pk")
    required_permissions = {"GET": ["thr_frs.view_thrdistribution"]}
    personal_data = True

    def scope_queryset(self, queryset, user):
        queryset = scope_queryset(queryset, user)
        if self.action == "list":
            queryset = queryset.filter(month=selectors.parse_month(self.request.query_params.get("month")))
        return queryset


class FaceCheckViewSet(ScopedAPIMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Face enrolment and 1:1 match (AWW/AWH of the person's own centre only)."""

    serializer_class = FaceCheckSerializer
    queryset = FaceCheck.objects.select_related("distribution")
    required_permissions = {"GET": ["thr_frs.view_facecheck"], "POST": ["thr_frs.add_facecheck"]}
    parser_classes = [MultiPartParser, FormParser]

    def initialize_request(self, request, *args, **kwargs):
        if request.method == "POST":
            use_memory_uploads(request)  # before DRF (or its CSRF check) reads the body
        return super().initialize_request(request, *args, **kwargs)

    def scope_queryset(self, queryset, user):
        return queryset.filter(pk__in=selectors.centre_face_checks(user).values("pk"))

    @extend_schema(request={"multipart/form-data": FaceCheckCreateSerializer}, responses={202: FaceCheckSerializer})
    def create(self, request, *args, **kwargs):
        if not ratelimit.allow(request.user, "face", ratelimit.FACE_CHECKS_PER_MINUTE):
            raise Throttled(detail="Too many photos in a minute. Wait a minute, then try again.")
        form = FaceCheckCreateSerializer(data=request.data, context={"request": request})
        if photo_too_large(request._request):
            raise ValidationError({"photo": ["The photo is too large. Take it again at normal camera resolution."]})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        photo = data["photo"].read()
        if data["purpose"] == FaceCheck.Purpose.ENROL:
            consent = None
            if data.get("consent_given_by"):
                consent = ConsentInput(given_by=data["consent_given_by"], purposes=(Consent.Purpose.FACE,))
            check = services.face_enrol_request(
                actor=request.user, beneficiary=data["beneficiary"], photo=photo, person=data.get("person"),
                relation=data.get("relation", ""), as_nominee=data["as_nominee"], consent=consent,
                client_uuid=data.get("client_uuid"))
        else:
            check = services.face_match_request(
                actor=request.user, beneficiary=data["beneficiary"], photo=photo, quantity=data.get("quantity"),
                nominee=data.get("nominee"), client_uuid=data.get("client_uuid"),
                turned_photo=data["turned_photo"].read() if data.get("turned_photo") else None)
        check.refresh_from_db()
        return Response(FaceCheckSerializer(check).data, status=status.HTTP_202_ACCEPTED)


class OtpViewSet(ScopedAPIMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Fallback: a one-time code to the family's registered mobile, then its check (records the hand-over)."""

    serializer_class = OtpChallengeSerializer
    queryset = OtpChallenge.objects.all()
    required_permissions = {"POST": ["thr_frs.add_otpchallenge"]}

    def scope_queryset(self, queryset, user):
        awc = selectors.centre_of(user)
        return queryset.filter(awc=awc) if awc else queryset.none()

    @extend_schema(request=OtpSendSerializer, responses={201: OtpChallengeSerializer})
    def create(self, request, *args, **kwargs):
        if not ratelimit.allow(request.user, "otp-send", ratelimit.OTP_SENDS_PER_MINUTE):
            raise Throttled(detail="Too many codes sent in a minute. Wait a minute, then try again.")
        form = OtpSendSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        challenge = services.otp_send(actor=request.user, beneficiary=form.validated_data["beneficiary"])
        return Response(OtpChallengeSerializer(challenge).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OtpVerifySerializer, responses={200: DistributionSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        if not ratelimit.allow(request.user, "otp-verify", ratelimit.OTP_TRIES_PER_MINUTE):
            raise Throttled(detail="Too many tries in a minute. Wait a minute, then try again.")
        challenge = self.get_object()
        form = OtpVerifySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        distribution = services.otp_verify(actor=request.user, challenge=challenge, code=data["code"],
                                           quantity=data.get("quantity"), client_uuid=data.get("client_uuid"))
        return Response(DistributionSerializer(distribution).data)


class OverrideViewSet(ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    """Fallback: override requests (the worker asks, the supervisor answers, the worker hands over)."""

    serializer_class = OverrideSerializer
    queryset = OverrideRequest.objects.order_by("-requested_at", "-pk")
    required_permissions = {"GET": ["thr_frs.view_overriderequest"], "POST": ["thr_frs.add_overriderequest"]}
    personal_data = True

    def get_permissions(self):
        if self.action == "decide":
            self.required_permissions = {"POST": ["thr_frs.change_overriderequest"]}
        return super().get_permissions()

    def scope_queryset(self, queryset, user):
        return scope_queryset(queryset, user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.override_request(
            actor=self.request.user, beneficiary=data["beneficiary"], reason=data["reason"],
            quantity=data.get("quantity"), client_uuid=data.get("client_uuid"))

    @extend_schema(request=OverrideDecideSerializer, responses={200: OverrideSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        override = self.get_object()
        form = OverrideDecideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        override = services.override_decide(actor=request.user, override=override,
                                            approve=form.validated_data["approve"],
                                            note=form.validated_data.get("note", ""))
        return Response(OverrideSerializer(override, context={"request": request}).data)

    @extend_schema(request=HandoverSerializer, responses={201: DistributionSerializer})
    @action(detail=True, methods=["post"])
    def handover(self, request, pk=None):
        override = self.get_object()
        if selectors.centre_of(request.user) is None:
            raise PermissionDenied
        form = HandoverSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        distribution = services.override_handover(actor=request.user, override=override,
                                                  client_uuid=form.validated_data.get("client_uuid"))
        return Response(DistributionSerializer(distribution).data, status=status.HTTP_201_CREATED)


def _figures_row(location, figures) -> dict:
    return {"location": location.pk if location else None, "name": location.name if location else "India",
            **{name: getattr(figures, name) for name in (
                "entitled", "distributed", "by_face", "by_otp", "by_nominee", "by_override", "match_failures",
                "face_enrolled", "face_captured_pct", "thr_via_frs_pct")}}


class FiguresView(ScopedAPIMixin, APIView):
    """THR figures of the caller's area (or a location inside it), one row per location one level down."""

    required_permissions = {"GET": ["thr_frs.view_thr_report"]}
    filter_backends = []

    @extend_schema(parameters=[MONTH, OpenApiParameter("location", int, description="a location in your area")],
                   responses=FiguresReportSerializer)
    def get(self, request):
        area = user_area(request.user)
        location = area.location if area else None
        raw = parse_id(request.query_params.get("location"))
        if raw is not None:
            location = get_object_or_404(locations_visible_to(request.user), pk=raw)
        month = selectors.parse_month(request.query_params.get("month"))
        rows, total = selectors.report_rows(user=request.user, location=location, month=month)
        return Response({"month": month, "total": _figures_row(location, total),
                         "rows": [_figures_row(row.location, row.figures) for row in rows]})
