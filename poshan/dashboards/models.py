"""Monthly rollups: what every dashboard reads (never the raw fact tables).

One AreaMonth row per place per month (AWC, sector, project, district, state, nation)
with numerators and denominators as plain counts; NutritionMonth adds the growth
figures by sex and age band. Both are derived: a refresh replaces a month's rows.
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location


class RollupLevel(models.TextChoices):
    NATION = "nation"
    STATE = "state"
    DISTRICT = "district"
    PROJECT = "project"
    SECTOR = "sector"
    AWC = "awc"


AREA_COUNTS = (
    "awcs", "awcs_open_today", "days_open", "attendance_total", "attendance_days", "preschool", "hcm_21",
    "pse_21", "underage_mothers",
    "pregnant", "lactating", "child_0_6m", "child_6m_3y", "child_3_6y", "adolescent", "beneficiaries",
    "aadhaar_seeded", "visits_due", "visits_done", "home_visits", "thr_entitled", "thr_distributed", "thr_face",
    "thr_otp", "thr_nominee", "thr_override", "thr_failures", "face_enrolled", "grievances_open",
    "grievances_overdue",
    # Equipment: 1 per AWC with a working device of that kind on the month's figures day.
    "phone_working", "infant_scale_working", "mother_child_scale_working", "infantometer_working",
    "stadiometer_working",
)
NUTRITION_COUNTS = (
    "children", "weighed", "height_measured", "underweight_n", "underweight_d", "stunting_n", "stunting_d",
    "wasting_n", "wasting_d", "sam", "mam", "faltering",
)


class AreaMonth(models.Model):
    month = models.DateField()
    level = models.CharField(max_length=10, choices=RollupLevel.choices)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField(default=timezone.now)
    awcs = models.PositiveIntegerField(default=0)
    awcs_open_today = models.PositiveIntegerField(default=0)
    days_open = models.PositiveIntegerField(default=0)
    attendance_total = models.PositiveIntegerField(default=0)
    attendance_days = models.PositiveIntegerField(default=0)
    preschool = models.PositiveIntegerField(default=0)
    hcm_21 = models.PositiveIntegerField(default=0)
    pse_21 = models.PositiveIntegerField(default=0)  # children 3–6 at the pre-school 21 days or more
    underage_mothers = models.PositiveIntegerField(default=0)  # pregnant or lactating girls under 18
    pregnant = models.PositiveIntegerField(default=0)
    lactating = models.PositiveIntegerField(default=0)
    child_0_6m = models.PositiveIntegerField(default=0)
    child_6m_3y = models.PositiveIntegerField(default=0)
    child_3_6y = models.PositiveIntegerField(default=0)
    adolescent = models.PositiveIntegerField(default=0)
    beneficiaries = models.PositiveIntegerField(default=0)
    aadhaar_seeded = models.PositiveIntegerField(default=0)
    visits_due = models.PositiveIntegerField(default=0)
    visits_done = models.PositiveIntegerField(default=0)
    home_visits = models.PositiveIntegerField(default=0)
    thr_entitled = models.PositiveIntegerField(default=0)
    thr_distributed = models.PositiveIntegerField(default=0)
    thr_face = models.PositiveIntegerField(default=0)
    thr_otp = models.PositiveIntegerField(default=0)
    thr_nominee = models.PositiveIntegerField(default=0)
    thr_override = models.PositiveIntegerField(default=0)
    thr_failures = models.PositiveIntegerField(default=0)
    face_enrolled = models.PositiveIntegerField(default=0)
    grievances_open = models.PositiveIntegerField(default=0)
    grievances_overdue = models.PositiveIntegerField(default=0)
    phone_working = models.PositiveIntegerField(default=0)
    infant_scale_working = models.PositiveIntegerField(default=0)
    mother_child_scale_working = models.PositiveIntegerField(default=0)
    infantometer_working = models.PositiveIntegerField(default=0)
    stadiometer_working = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["month", "level", "location"], name="areamonth_place"),
            models.Index(fields=["month", "parent"], name="areamonth_children"),
            models.Index(fields=["location", "month"], name="areamonth_trend"),
        ]


class NutritionMonth(models.Model):
    class Band(models.TextChoices):
        ALL = "", _("All ages")
        B0_6M = "0_6m", _("0–6 months")
        B6M_3Y = "6m_3y", _("6 months–3 years")
        B3_6Y = "3_6y", _("3–6 years")

    month = models.DateField()
    level = models.CharField(max_length=10, choices=RollupLevel.choices)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    sex = models.CharField(max_length=1, blank=True)  # "" = both
    band = models.CharField(max_length=6, blank=True, choices=Band.choices)
    children = models.PositiveIntegerField(default=0)
    weighed = models.PositiveIntegerField(default=0)
    height_measured = models.PositiveIntegerField(default=0)
    underweight_n = models.PositiveIntegerField(default=0)
    underweight_d = models.PositiveIntegerField(default=0)
    stunting_n = models.PositiveIntegerField(default=0)
    stunting_d = models.PositiveIntegerField(default=0)
    wasting_n = models.PositiveIntegerField(default=0)
    wasting_d = models.PositiveIntegerField(default=0)
    sam = models.PositiveIntegerField(default=0)
    mam = models.PositiveIntegerField(default=0)
    faltering = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["month", "level", "location", "sex", "band"], name="nutrition_place"),
            models.Index(fields=["month", "parent", "sex", "band"], name="nutrition_children"),
            models.Index(fields=["location", "sex", "band", "month"], name="nutrition_trend"),
        ]


class RollupRun(models.Model):
    """A refresh of one month's rollups, with progress for the admin's page."""

    class Status(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    month = models.DateField()
    trigger = models.CharField(max_length=16)  # nightly | admin | incremental
    # The area recounted: None = every AWC; a state official's refresh covers her state only.
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    awcs_total = models.PositiveIntegerField(default=0)
    awcs_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("refresh_rollups", "Can refresh the dashboard rollups"),
                       ("view_dashboard", "Can see the dashboard of own area"),
                       ("view_incentive", "Can see the workers' monthly performance and incentive in own area")]

    @property
    def percent(self) -> int:
        return int(100 * self.awcs_done / self.awcs_total) if self.awcs_total else 0


class ExportJob(models.Model):
    """A large export made by a Celery task; the page shows its progress and, when done, a download."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16)
    file_format = models.CharField(max_length=4)  # csv | xlsx
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    month_from = models.DateField()
    month_to = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("export_data", "Can export data of own area")]

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else (100 if self.status == "done" else 0)
