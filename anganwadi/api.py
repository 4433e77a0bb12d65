from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from poshan.core.api import ScopedAPIMixin

from . import selectors
from .models import Location
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
        if params.get("parent", "").isdigit():
            queryset = queryset.filter(parent_id=int(params["parent"]))
        return queryset


class MeView(APIView):
    """Who the caller is, their role and their area."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        area = selectors.user_area(request.user)
        return Response(MeSerializer(request.user, context={"area": area}).data)
