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
