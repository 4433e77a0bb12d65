"""The grant of additional charge, and guardian's object permissions on a place (a direct foreign key: one join)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

HOLD_CHARGE = "hold_additional_charge"  # a permission of Location (anganwadi.models.Location.Meta)
HOLD_CHARGE_PERM = f"anganwadi.{HOLD_CHARGE}"


class LocationUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's per-user permission on one place, with a real foreign key to it."""

    content_object = models.ForeignKey("anganwadi.Location", on_delete=models.CASCADE, related_name="user_perms")
    # guardian's own field, without its index: the unique (user, permission, place) index leads with the user.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class AdditionalCharge(models.Model):
    """Who holds additional charge of which centre (or sector), from `start` to `end` inclusive (IST dates)."""

    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="charges",
                               db_index=False)
    location = models.ForeignKey("anganwadi.Location", on_delete=models.PROTECT, related_name="charges",
                                 verbose_name=_("centre or sector"), db_index=False)
    start = models.DateField(_("from"))
    end = models.DateField(_("to (last day)"))
    reason = models.CharField(_("why"), max_length=200)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    first_used_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True, help_text="when the nightly step took the permission")

    class Meta:
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["holder", "end"], name="charge_holder_end"),
                   models.Index(fields=["location", "end"], name="charge_location_end")]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="charge_end_after_start")]

    def __str__(self) -> str:
        return f"{self.holder} ⇢ {self.location} {self.start}…{self.end}"

    def is_active_on(self, day) -> bool:
        return self.revoked_at is None and self.start <= day <= self.end
