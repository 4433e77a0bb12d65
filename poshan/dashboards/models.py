"""Monthly rollups: what every dashboard reads (never the raw fact tables).

One AreaMonth row per place per month (AWC, sector, project, district, state, nation)
with numerators and denominators as plain counts; NutritionMonth adds the growth
figures by sex and age band. Both are derived: a refresh replaces a month's rows.
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location
from poshan.core.roles import Level


# Each name is a count column of AreaMonth (a non-negative integer, 0 until counted); the refresh fills them all.
AREA_COUNTS = (
    "awcs", "awcs_open_today", "days_open", "attendance_total", "attendance_days", "preschool", "hcm_21",
    "pse_21",  # children 3–6 at the pre-school 21 days or more
    "underage_mothers",  # pregnant or lactating girls under 18
    "pregnant", "lactating", "child_0_6m", "child_6m_3y", "child_3_6y", "adolescent", "beneficiaries",
    "aadhaar_seeded", "visits_due", "visits_done", "home_visits", "thr_entitled", "thr_distributed", "thr_face",
    "thr_otp", "thr_nominee", "thr_override", "thr_failures", "face_enrolled", "grievances_open",
    "grievances_overdue",
    # Equipment: 1 per AWC with a working device of that kind on the month's figures day.
    "phone_working", "infant_scale_working", "mother_child_scale_working", "infantometer_working",
    "stadiometer_working",
)
# Each name is a count column of NutritionMonth.
NUTRITION_COUNTS = (
    "children", "weighed", "height_measured", "underweight_n", "underweight_d", "stunting_n", "stunting_d",
    "wasting_n", "wasting_d", "sam", "mam", "faltering",
)


def count_columns(names: tuple[str, ...]) -> type[models.Model]:
    """An abstract model with one count column per name: the list of counts is the one definition of the columns."""
    columns = {name: models.PositiveIntegerField(default=0) for name in names}
    return type("CountColumns", (models.Model,), {
        "__module__": __name__, "Meta": type("Meta", (), {"abstract": True}), **columns})


class RollupRow(models.Model):
    """Where and when a rollup row counts: one place (with its parent, for the children's rows) in one month."""

    month = models.DateField()
    level = models.CharField(max_length=10, choices=Level.choices)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                                 db_index=False)
    parent = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class AreaMonth(RollupRow, count_columns(AREA_COUNTS)):
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["month", "level", "location"], name="areamonth_place"),
            models.Index(fields=["month", "parent"], name="areamonth_children"),
            models.Index(fields=["location", "month"], name="areamonth_trend"),
        ]


class NutritionMonth(RollupRow, count_columns(NUTRITION_COUNTS)):
    class Band(models.TextChoices):
        ALL = "", _("All ages")
        B0_6M = "0_6m", _("0–6 months")
        B6M_3Y = "6m_3y", _("6 months–3 years")
        B3_6Y = "3_6y", _("3–6 years")

    sex = models.CharField(max_length=1, blank=True)  # "" = both
    band = models.CharField(max_length=6, blank=True, choices=Band.choices)

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
