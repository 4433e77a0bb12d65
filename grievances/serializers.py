from django.urls import reverse
from rest_framework import serializers

from poshan.core.api import ModelSerializer

from .models import HELPLINE_LANGUAGES, MAX_DESCRIPTION, MAX_NOTE, Category, Grievance, GrievanceEvent


class GrievanceEventSerializer(ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = GrievanceEvent
        fields = ["at", "actor", "kind", "status", "desk_role", "note"]


class GrievanceSerializer(ModelSerializer):
    awc_name = serializers.CharField(source="awc.name", read_only=True)
    worker = serializers.SlugRelatedField(slug_field="username", read_only=True)
    overdue = serializers.SerializerMethodField()
    screenshot_url = serializers.SerializerMethodField()

    class Meta:
        model = Grievance
        fields = ["id", "reference", "submission_id", "channel", "category", "description", "awc", "awc_name",
                  "worker", "caller_language", "status", "desk_role", "sla_due_at", "due_at", "escalation_count",
                  "resolution_note", "resolved_at", "closed_at", "created_at", "overdue", "screenshot_url"]
        read_only_fields = fields

    def get_overdue(self, grievance) -> bool:
        return grievance.is_overdue()

    def get_screenshot_url(self, grievance) -> str | None:
        return reverse("grievances:screenshot", args=[grievance.pk]) if grievance.screenshot else None


class GrievanceDetailSerializer(GrievanceSerializer):
    events = GrievanceEventSerializer(many=True, read_only=True)

    class Meta(GrievanceSerializer.Meta):
        fields = GrievanceSerializer.Meta.fields + ["events"]
        read_only_fields = fields


class GrievanceCreateSerializer(serializers.Serializer):
    """What each lodger sends: a worker only category/description; an officer adds `worker`;
    the helpline adds `awc`, `caller_language` and `caller_name`. The service decides which applies."""

    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(max_length=MAX_DESCRIPTION)
    screenshot = serializers.FileField(required=False, allow_empty_file=False)
    worker = serializers.IntegerField(required=False, help_text="User id of the worker (officers)")
    awc = serializers.IntegerField(required=False, help_text="Location id of the AWC (helpline)")
    caller_language = serializers.ChoiceField(choices=HELPLINE_LANGUAGES, required=False)
    caller_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    submission_id = serializers.UUIDField(required=False, help_text="Client-generated; a retry returns the first result")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_NOTE)


class OptionalNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_NOTE, required=False, allow_blank=True)


class AssignSerializer(serializers.Serializer):
    officer = serializers.IntegerField(help_text="User id of the officer")
