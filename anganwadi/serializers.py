from rest_framework import serializers

from poshan.core.api import ModelSerializer
from poshan.core.models import User

from .models import Location


class LocationSerializer(ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "level", "code", "name", "parent", "state", "district", "project", "sector",
                  "is_aspirational", "is_north_east", "is_active"]


class MeSerializer(ModelSerializer):
    area_level = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "role", "preferred_language", "area_level", "location"]

    def get_area_level(self, user) -> str | None:
        area = self.context["area"]
        return area.level if area else None

    def get_location(self, user) -> dict | None:
        area = self.context["area"]
        if area is None or area.location is None:
            return None
        return LocationSerializer(area.location).data
