"""The location tree (State → District → Project → Sector → AWC) and staff assignments.

Every location carries the ids of all its ancestors, so "everything in district D"
is one indexed filter, never a walk up the tree.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from poshan.core.roles import LEVEL_ORDER, ROLE_LEVEL, Level, parent_level

ANCESTOR_LEVELS: tuple[str, ...] = (Level.STATE, Level.DISTRICT, Level.PROJECT, Level.SECTOR)


class Location(models.Model):
    LEVELS = [(value, label) for value, label in Level.choices if value != Level.NATION]

    level = models.CharField(_("level"), max_length=10, choices=LEVELS)
    code = models.BigIntegerField(_("code"), help_text=_("LGD-style numeric code, unique within its level"))
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    state = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_aspirational = models.BooleanField(_("in an aspirational district"), default=False)
    is_north_east = models.BooleanField(_("in the North-East"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="location_level_code_unique"),
            models.CheckConstraint(condition=models.Q(code__gt=0), name="location_code_positive"),
        ]
        # Granted per place with django-guardian (anganwadi.charge): never through a role.
        permissions = [("hold_additional_charge", "Holds additional charge of this place")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.level == Level.STATE:
            if self.parent_id is not None:
                raise ValidationError({"parent": _("A state has no parent.")})
            return
        if self.parent is None or self.parent.level != parent_level(self.level):
            raise ValidationError(
                {"parent": _("A %(level)s must belong to a %(parent)s.")
                 % {"level": self.get_level_display(), "parent": Level(parent_level(self.level)).label}}
            )

    def fill_ancestors(self) -> None:
        """Copy the parent's ancestor ids (and the parent itself) onto this location."""
        parent = self.parent
        for level in ANCESTOR_LEVELS:
            setattr(self, f"{level}_id", None)
        if parent is None:
            return
        for level in ANCESTOR_LEVELS:
            setattr(self, f"{level}_id", getattr(parent, f"{level}_id"))
        setattr(self, f"{parent.level}_id", parent.pk)

    @property
    def depth(self) -> int:
        return LEVEL_ORDER.index(self.level)


class StaffAssignment(models.Model):
    """The one location a user works at; no location means the whole nation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignment")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    assigned_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} @ {self.location or _('nation')}"

    def clean(self) -> None:
        role = self.user.role
        if not role:
            raise ValidationError(_("Give the user a role before assigning a location."))
        expected = ROLE_LEVEL[role]
        actual = self.location.level if self.location_id else Level.NATION
        if actual != expected:
            raise ValidationError(
                {"location": _("A %(role)s is assigned to a %(level)s.")
                 % {"role": self.user.get_role_display(), "level": Level(expected).label}}
            )


class AwcDay(models.Model):
    """The centre's day: opened (with time and, if allowed, position) and closed, or not opened and why."""

    class NotOpenReason(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        FESTIVAL = "festival", _("Festival")
        OTHER_DUTY = "other_duty", _("Worker on other duty")
        NO_HELPER = "no_helper", _("No helper")
        WORKER_ON_LEAVE = "leave", _("Worker on leave")
        WEATHER = "weather", _("Weather / flood")
        OTHER = "other", _("Other")

    # No index of its own: awcday_once_a_day leads with it (beside it, PostgreSQL read a centre's every month).
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="days", db_index=False)
    date = models.DateField()
    opened = models.BooleanField()
    opened_at = models.TimeField(null=True, blank=True)
    closed_at = models.TimeField(null=True, blank=True)
    not_open_reason = models.CharField(max_length=16, choices=NotOpenReason.choices, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    backdate_reason = models.CharField(max_length=200, blank=True)
    client_uuid = models.UUIDField(unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["awc", "date"], name="awcday_once_a_day"),
            models.CheckConstraint(
                condition=models.Q(opened=True, not_open_reason="") | models.Q(opened=False) & ~models.Q(not_open_reason=""),
                name="awcday_reason_when_not_open",
            ),
            models.CheckConstraint(condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                                   name="awcday_latitude_range"),
            models.CheckConstraint(condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                                   name="awcday_longitude_range"),
        ]


class EcceActivity(models.Model):
    """Early childhood care and education: the day's activity and how many children took part."""

    class Activity(models.TextChoices):
        THEME = "theme", _("Theme of the week")
        FREE_PLAY = "free_play", _("Free play")
        STORY = "story", _("Story telling")
        RHYME = "rhyme", _("Rhymes and songs")
        LITERACY = "literacy", _("Early literacy")
        NUMERACY = "numeracy", _("Early numeracy")
        ART = "art", _("Art and craft")
        OUTDOOR = "outdoor", _("Outdoor play")

    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    date = models.DateField()
    activity = models.CharField(max_length=16, choices=Activity.choices)
    children = models.PositiveSmallIntegerField()
    backdate_reason = models.CharField(max_length=200, blank=True)
    client_uuid = models.UUIDField(unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["awc", "date", "activity"], name="ecce_once_a_day")]


# The centre's equipment, the internet allowance and additional charge (models of this app, in their own packages).
from .allowance.models import AllowanceClaim, AllowancePayment  # noqa: E402,F401
from .charge.models import AdditionalCharge, LocationUserObjectPermission  # noqa: E402,F401
from .equipment.models import Device, DeviceReport, Infrastructure  # noqa: E402,F401
