"""Training over the API: the (national) video library, and the caller's own progress."""
from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from poshan.core.api import ScopedAPIMixin

from . import selectors, services
from .models import VIDEO_LANGUAGES, ModuleProgress, Topic, Video, VideoKind
from .serializers import ModuleProgressSerializer, ProgressInputSerializer, VideoSerializer

VIEW_VIDEO = ["training.view_video"]


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("topic", str, enum=Topic.values),
        OpenApiParameter("language", str, enum=[code for code, _label in VIDEO_LANGUAGES]),
        OpenApiParameter("kind", str, enum=VideoKind.values),
    ]),
)
class VideoViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Published counselling videos and self-learning modules (the same library everywhere)."""

    serializer_class = VideoSerializer
    queryset = Video.objects.all()
    required_permissions = {"GET": VIEW_VIDEO}

    def scope_queryset(self, queryset, user):
        params = self.request.query_params if self.action == "list" else {}
        filters = {name: params.get(name) for name in ("topic", "language", "kind")}
        return queryset.filter(pk__in=selectors.video_library(filters=filters).values("pk")).order_by(
            "kind", "topic", "title")


class ModuleProgressViewSet(ScopedAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own progress; POST reports how far she has watched (the player calls it)."""

    serializer_class = ModuleProgressSerializer
    queryset = ModuleProgress.objects.order_by("-updated_at", "-id")
    required_permissions = {"GET": VIEW_VIDEO, "POST": VIEW_VIDEO}

    def scope_queryset(self, queryset, user):
        return queryset.filter(user=user)

    @extend_schema(request=ProgressInputSerializer, responses={200: ModuleProgressSerializer})
    def create(self, request):
        body = ProgressInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        video = Video.objects.filter(pk=body.validated_data["video"], is_published=True).first()
        if video is None:
            raise serializers.ValidationError({"video": [_("No such video.")]})
        progress = services.progress_record(actor=request.user, video=video,
                                            watched_seconds=body.validated_data["watched_seconds"])
        return Response(ModuleProgressSerializer(progress).data, status=status.HTTP_200_OK)
