"""What the programme hands a centre: a smartphone, growth-monitoring devices; and the centre's building.

One Device row per kind per AWC (a replacement updates the row); every change of its
condition is kept as a DeviceReport, so a month's figures read the condition as it was
then. The IMEI is encrypted, with a keyed blind index for uniqueness, and shown masked.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poshan.core.fields import EncryptedTextField
from poshan.core.masking import mask_tail


class DeviceKind(models.TextChoices):
    SMARTPHONE = "smartphone", _("Smartphone")
    INFANT_SCALE = "infant_scale", _("Infant weighing scale")
    MOTHER_CHILD_SCALE = "mother_child_scale", _("Mother-and-child weighing scale")
    INFANTOMETER = "infantometer", _("Infantometer")
    STADIOMETER = "stadiometer", _("Stadiometer")


class Condition(models.TextChoices):
    WORKING = "working", _("Working")
    NEEDS_REPAIR = "needs_repair", _("Needs repair (still usable)")
    BROKEN = "broken", _("Broken")
    LOST = "lost", _("Lost or stolen")


FAULT_CONDITIONS = (Condition.BROKEN, Condition.LOST)


class Device(models.Model):
    """The centre's device of one kind, its current condition and the grievance of its last fault."""

    awc = models.ForeignKey("anganwadi.Location", on_delete=models.PROTECT, related_name="devices", db_index=False)
    kind = models.CharField(_("device"), max_length=20, choices=DeviceKind.choices)
    make = models.CharField(_("make and model"), max_length=60, blank=True)
    imei = EncryptedTextField(_("IMEI"), blank=True)
    imei_index = models.CharField(max_length=64, null=True, blank=True, editable=False)  # unique: Meta
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("issued to"))
    condition = models.CharField(_("condition"), max_length=16, choices=Condition.choices)
    condition_since = models.DateField(_("condition since"))
    # The grievance opened for the last fault (grievances app; a plain id: anganwadi does not import it).
    grievance_id = models.BigIntegerField(null=True, blank=True, editable=False)
    grievance_reference = models.CharField(_("grievance"), max_length=20, blank=True, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["awc_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["awc", "kind"], name="device_one_per_kind_per_awc"),
            # Not unique=True on the field, which adds a copy of the index for LIKE, never used on a keyed hash.
            models.UniqueConstraint(fields=["imei_index"], name="device_imei_once"),
            models.CheckConstraint(condition=Q(kind__in=DeviceKind.values), name="device_kind_known"),
            models.CheckConstraint(condition=Q(condition__in=Condition.values), name="device_condition_known"),
            models.CheckConstraint(condition=Q(kind=DeviceKind.SMARTPHONE) | Q(imei_index__isnull=True),
                                   name="device_imei_only_on_phones"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.awc_id}"

    @property
    def imei_masked(self) -> str:
        return mask_tail(self.imei)

    @property
    def is_faulty(self) -> bool:
        return self.condition in FAULT_CONDITIONS


class DeviceReport(models.Model):
    """One change of a device's condition (the first report is its issue), dated the day it was reported."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="reports", db_index=False)
    awc = models.ForeignKey("anganwadi.Location", on_delete=models.PROTECT, related_name="+", db_index=False)
    on = models.DateField(_("reported on"))
    condition = models.CharField(_("condition"), max_length=16, choices=Condition.choices)
    note = models.CharField(_("what happened"), max_length=300, blank=True)
    grievance_id = models.BigIntegerField(null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["device", "on", "id"], name="devicereport_device_on"),
                   models.Index(fields=["awc", "on"], name="devicereport_awc_on")]


class Infrastructure(models.Model):
    """The centre's building: whose it is and what it has."""

    awc = models.OneToOneField("anganwadi.Location", on_delete=models.PROTECT, related_name="infrastructure")
    own_building = models.BooleanField(_("own building"), default=False)
    drinking_water = models.BooleanField(_("drinking water"), default=False)
    toilet = models.BooleanField(_("toilet"), default=False)
    electricity = models.BooleanField(_("electricity"), default=False)
    kitchen = models.BooleanField(_("kitchen"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "infrastructure"


INFRASTRUCTURE_FIELDS = ("own_building", "drinking_water", "toilet", "electricity", "kitchen")
