from django.urls import reverse
from rest_framework import serializers

from poshan.core.api import ModelSerializer

from .models import ModuleProgress, Video


class VideoSerializer(ModelSerializer):
    stream_url = serializers.SerializerMethodField()
    poster_url = serializers.SerializerMethodField()

    class Meta:
        model = Video
        fields = ["id", "title", "description", "language", "duration_seconds", "topic", "kind", "stream_url",
                  "poster_url"]
        read_only_fields = fields

    def get_stream_url(self, video) -> str:
        return reverse("training:stream", args=[video.pk])

    def get_poster_url(self, video) -> str | None:
        return reverse("training:poster", args=[video.pk]) if video.poster else None


class ModuleProgressSerializer(ModelSerializer):
    class Meta:
        model = ModuleProgress
        fields = ["video", "watched_seconds", "quiz_score", "completed_at", "updated_at"]
        read_only_fields = fields


class ProgressInputSerializer(serializers.Serializer):
    video = serializers.IntegerField(help_text="Video id")
    watched_seconds = serializers.IntegerField(min_value=0, help_text="Furthest point reached in the video")
