"""Growth monitoring: measurements with their WHO z-scores, each child's current status,
the supervisor's follow-up list and the log of nightly flagging runs.

Classification codes are the engine's (growth.zscores): -1 unknown (not computed, or
computed but biologically implausible), 0 normal, 1 moderate, 2 severe.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location
from beneficiaries.models import Beneficiary

# Hard limits: outside them a value is a typing or scale error and is refused. Inside them
# but beyond WHO's plausibility flags, a value is saved, flagged, and re-measured.
WEIGHT_KG_RANGE = (0.5, 60)
LENHEI_CM_RANGE = (35, 150)
MUAC_CM_RANGE = (5, 30)


class Class(models.IntegerChoices):
    UNKNOWN = -1, _("not assessed")
    NORMAL = 0, _("normal")
    MODERATE = 1, _("moderate")
    SEVERE = 2, _("severe")


class Flag(models.IntegerChoices):
    """Bits of Measurement.flags: which z-score is implausible (and standing under 9 months)."""

    WEIGHT_FOR_AGE = 1, _("weight-for-age implausible")
    HEIGHT_FOR_AGE = 2, _("length/height-for-age implausible")
    WEIGHT_FOR_HEIGHT = 4, _("weight-for-length/height implausible")
    BMI_FOR_AGE = 8, _("BMI-for-age implausible")
    MUAC_FOR_AGE = 16, _("MUAC-for-age implausible")
    STANDING_UNDER_9_MONTHS = 32, _("measured standing under 9 months")


IMPLAUSIBLE_BITS = 1 | 2 | 4 | 8 | 16


class Measurement(models.Model):
    """One visit's weight, length/height, MUAC and oedema, scored when it is recorded."""

    class Measure(models.TextChoices):
        LYING = "l", _("Lying down (length)")
        STANDING = "h", _("Standing (height)")

    # The composite indexes below lead with these keys, so the foreign keys need none of their own.
    child = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="measurements", db_index=False)
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    district = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    date = models.DateField(_("date measured"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=4, decimal_places=2)
    lenhei_cm = models.DecimalField(_("length / height (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    measure = models.CharField(_("how measured"), max_length=1, choices=Measure.choices, blank=True)
    muac_cm = models.DecimalField(_("MUAC (cm)"), max_digits=3, decimal_places=1, null=True, blank=True)
    oedema = models.BooleanField(_("bilateral pitting oedema"), default=False)
    # Scored at record time with growth.zscores (age = date - date of birth).
    clenhei_cm = models.FloatField(null=True, blank=True, editable=False)
    waz = models.FloatField(null=True, blank=True, editable=False)
    haz = models.FloatField(null=True, blank=True, editable=False)
    whz = models.FloatField(null=True, blank=True, editable=False)
    baz = models.FloatField(null=True, blank=True, editable=False)
    acz = models.FloatField(null=True, blank=True, editable=False)
    flags = models.PositiveSmallIntegerField(default=0, editable=False)
    underweight = models.SmallIntegerField(choices=Class.choices, default=Class.UNKNOWN, editable=False)
    stunting = models.SmallIntegerField(choices=Class.choices, default=Class.UNKNOWN, editable=False)
    wasting = models.SmallIntegerField(choices=Class.choices, default=Class.UNKNOWN, editable=False)
    acute = models.SmallIntegerField(choices=Class.choices, default=Class.UNKNOWN, editable=False)
    is_implausible = models.BooleanField(default=False, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["child", "date", "id"], name="measurement_child_date"),
            models.Index(fields=["awc", "date"], name="measurement_awc_date"),
            models.Index(fields=["district", "date"], name="measurement_district_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_kg__gte=WEIGHT_KG_RANGE[0], weight_kg__lte=WEIGHT_KG_RANGE[1]),
                name="measurement_weight_possible",
            ),
            models.CheckConstraint(
                condition=Q(lenhei_cm__isnull=True) | Q(lenhei_cm__gte=LENHEI_CM_RANGE[0],
                                                         lenhei_cm__lte=LENHEI_CM_RANGE[1]),
                name="measurement_lenhei_possible",
            ),
            models.CheckConstraint(
                condition=Q(muac_cm__isnull=True) | Q(muac_cm__gte=MUAC_CM_RANGE[0], muac_cm__lte=MUAC_CM_RANGE[1]),
                name="measurement_muac_possible",
            ),
            models.CheckConstraint(
                condition=Q(lenhei_cm__isnull=True, measure="") | Q(lenhei_cm__isnull=False, measure__in=["l", "h"]),
                name="measurement_lenhei_has_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.date} {self.weight_kg} kg"


class ChildStatus(models.Model):
    """Each child's current nutrition status, as of the last nightly flagging run.

    Written only by the flagging job (upsert; a re-run for the same day changes nothing).
    """

    child = models.OneToOneField(Beneficiary, primary_key=True, on_delete=models.CASCADE, related_name="growth_status")
    # No database-level foreign key for these two (Django still enforces on_delete): the job writes
    # them from rows it read in the same transaction, and checking them at commit tripled the cost
    # of a chunk's write (bench/flagging.py: 1.5 s → 0.4 s for 25,000 children).
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    measurement = models.ForeignKey(Measurement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    db_constraint=False)
    measured_on = models.DateField(null=True, blank=True)
    # The measurement's own values, written by the job with the z-scores computed from them: the row holds all the
    # children export writes, so the export reads no partition of growth_measurement.
    weight_kg = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    lenhei_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    muac_cm = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    waz = models.FloatField(null=True, blank=True)
    haz = models.FloatField(null=True, blank=True)
    whz = models.FloatField(null=True, blank=True)
    underweight = models.SmallIntegerField(choices=Class.choices, default=Class.UNKNOWN)
    stunting = models.SmallIntegerField(choices=Class.choices, default=Class.UNKNOWN)
    wasting = models.SmallIntegerField(choices=Class.choices, default=Class.UNKNOWN)
    acute = models.SmallIntegerField(choices=Class.choices, default=Class.UNKNOWN)
    is_implausible = models.BooleanField(default=False)
    faltering = models.BooleanField(default=False)
    waz_change = models.FloatField(null=True, blank=True, help_text="WAZ change since the previous measurement")
    changed_on = models.DateField(help_text="day of the run that last changed this row")

    class Meta:
        verbose_name_plural = "child statuses"
        permissions = [("view_growth_figures", "Can see growth figures (counts, prevalence) of own area")]


class FollowUp(models.Model):
    """A child the supervisor (and the AWW) should follow up, for one reason in one month."""

    class Reason(models.TextChoices):
        STUNTED = "stunted", _("Newly stunted")
        WASTED = "wasted", _("Newly wasted")
        UNDERWEIGHT = "underweight", _("Newly underweight")
        SAM = "sam", _("Severe acute malnutrition (SAM)")
        FALTERING = "faltering", _("Growth faltering")
        NOT_WEIGHED = "not_weighed", _("Not weighed this month")
        REMEASURE = "remeasure", _("Re-measure: implausible value")

    class Resolution(models.TextChoices):
        OPEN = "", _("Open")
        FOLLOWED_UP = "followed_up", _("Followed up")
        AUTO = "auto", _("Cleared by a new measurement")

    child = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="growth_followups",
                              db_index=False)  # the unique constraint and indexes below lead with it
    # Copied by the job from rows it just read: no database-level foreign key (see ChildStatus).
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False,
                            db_constraint=False, help_text="the child's AWC when flagged")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    month = models.DateField(help_text="first day of the month the reason belongs to")
    measurement = models.ForeignKey(Measurement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    db_constraint=False)
    severity = models.SmallIntegerField(choices=Class.choices, default=Class.UNKNOWN)
    z_change = models.FloatField(null=True, blank=True)
    flagged_on = models.DateField()
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    note = models.CharField(_("what was done"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "reason", "month"], name="followup_once_per_month"),
            models.CheckConstraint(condition=Q(resolved_at__isnull=True, resolution="")
                                   | Q(resolved_at__isnull=False) & ~Q(resolution=""),
                                   name="followup_resolution_consistent"),
        ]
        indexes = [
            models.Index(fields=["awc", "resolved_at"], name="followup_awc_open"),
            models.Index(fields=["child", "resolved_at"], name="followup_child_open"),
        ]


class FlaggingRun(models.Model):
    """One nightly flagging job: progress while it runs, counts and duration when done."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    run_date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    children = models.PositiveIntegerField(default=0, help_text="children scored")
    measured = models.PositiveIntegerField(default=0, help_text="children with a measurement")
    statuses_changed = models.PositiveIntegerField(default=0)
    followups_created = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def percent_done(self) -> int:
        return round(100 * self.chunks_done / self.chunks_total) if self.chunks_total else 100


class FlaggingChunk(models.Model):
    """One chunk of a run: the children of a district with ids in [first_child_id, last_child_id].

    Marked done in the same transaction as its writes, so a retried or redelivered chunk
    either redoes everything (it crashed) or nothing (it had finished).
    """

    run = models.ForeignKey(FlaggingRun, on_delete=models.CASCADE, related_name="chunks", db_index=False)
    district = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    first_child_id = models.BigIntegerField()
    last_child_id = models.BigIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    children = models.PositiveIntegerField(default=0)
    measured = models.PositiveIntegerField(default=0)
    statuses_changed = models.PositiveIntegerField(default=0)
    followups_created = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "district", "first_child_id"], name="flaggingchunk_once"),
        ]


# Malnutrition management (CMAM): cases, their events and the states' own protocol values.
from growth.cases.models import Case, CaseEvent, CaseRulesOverride  # noqa: E402,F401
