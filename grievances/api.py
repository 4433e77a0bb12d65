"""Grievances over the API: list, lodge, detail, and the status actions (the same services as the pages).

A service's refusal (a ValidationError) answers 400 through the API's one exception handler
(poshan.core.api.exception_handler), as on every other endpoint."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from anganwadi.models import Location
from poshan.core.api import ScopedAPIMixin
from poshan.core.roles import Level

from . import selectors, services
from .models import Category, Grievance, Status
from .serializers import (AssignSerializer, GrievanceCreateSerializer, GrievanceDetailSerializer,
                          GrievanceSerializer, NoteSerializer)

VIEW = ["grievances.view_grievance"]


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("status", str, enum=Status.values, description="Only grievances in this status"),
        OpenApiParameter("category", str, enum=Category.values, description="Only grievances of this category"),
    ]),
)
class GrievanceViewSet(ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Grievances the caller may see: a worker hers, the helpline the ones it recorded, an officer her area's."""

    queryset = Grievance.objects.select_related("awc", "worker").order_by("-created_at", "-id")
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @property
    def required_permissions(self) -> dict:
        if getattr(self, "action", None) == "create":
            return {"POST": ["grievances.add_grievance"]}
        return {"GET": VIEW, "POST": VIEW}

    def scope_queryset(self, queryset, user):
        queryset = queryset.filter(selectors.grievance_scope_q(user))
        if self.action == "list":
            params = self.request.query_params
            if params.get("status") in Status.values:
                queryset = queryset.filter(status=params["status"])
            if params.get("category") in Category.values:
                queryset = queryset.filter(category=params["category"])
        return queryset

    def get_serializer_class(self):
        return GrievanceSerializer if self.action == "list" else GrievanceDetailSerializer

    @extend_schema(request=GrievanceCreateSerializer, responses={201: GrievanceSerializer})
    def create(self, request):
        data = GrievanceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        worker = get_user_model().objects.filter(pk=d["worker"]).first() if "worker" in d else None
        awc = Location.objects.filter(pk=d["awc"], level=Level.AWC).first() if "awc" in d else None
        grievance = services.grievance_lodge(
            actor=request.user, category=d["category"], description=d["description"],
            screenshot=d.get("screenshot"), worker=worker, awc=awc, caller_name=d.get("caller_name", ""),
            caller_language=d.get("caller_language", ""), submission_id=d.get("submission_id"),
        )
        return Response(GrievanceSerializer(grievance).data, status=status.HTTP_201_CREATED)

    def _done(self, grievance: Grievance) -> Response:
        grievance = Grievance.objects.select_related("awc", "worker").get(pk=grievance.pk)
        return Response(GrievanceDetailSerializer(grievance).data)

    def _run(self, service, **kwargs) -> Response:
        grievance = self.get_object()
        service(actor=self.request.user, grievance=grievance, **kwargs)
        return self._done(grievance)

    def _note(self) -> str:
        body = NoteSerializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data["note"]

    @extend_schema(request=None, responses=GrievanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Take an open grievance up (desk officer or assigned officer)."""
        return self._run(services.grievance_start)

    @extend_schema(request=NoteSerializer, responses=GrievanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve a grievance in progress, saying how."""
        return self._run(services.grievance_resolve, note=self._note())

    @extend_schema(request=None, responses=GrievanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """The worker confirms the resolution."""
        return self._run(services.grievance_close)

    @extend_schema(request=NoteSerializer, responses=GrievanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """The worker says the problem remains."""
        return self._run(services.grievance_reopen, note=self._note())

    @extend_schema(request=NoteSerializer, responses=GrievanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        """Add a note to the history (the worker or a handler)."""
        grievance = self.get_object()
        services.grievance_add_note(actor=request.user, grievance=grievance, note=self._note())
        return self._done(grievance)

    @extend_schema(request=AssignSerializer, responses=GrievanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """The desk officer assigns the grievance to one officer whose area holds the AWC."""
        grievance = self.get_object()
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        officer = get_user_model().objects.filter(pk=body.validated_data["officer"], is_active=True).first()
        if officer is None:
            raise serializers.ValidationError({"officer": [_("No such officer.")]})
        services.grievance_assign(actor=request.user, grievance=grievance, officer=officer)
        return self._done(grievance)
