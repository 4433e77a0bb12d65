"""The supervisor's visits to her centres (checklist, findings, an action list the next visit checks), the Village
Health Sanitation and Nutrition Days, and the alerts that nudge (one row per condition and centre while it holds)."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location
from poshan.core.fields import EncryptedTextField
from poshan.core.masking import mask_mobile
from poshan.core.roles import Role

from . import rules


class ChecklistItem(models.TextChoices):
    OPEN_ON_TIME = "open_on_time", _("Centre open on time")
    RECORDS = "records_up_to_date", _("Records up to date")
    DEVICES = "growth_devices_working", _("Growth devices working")
    WEIGHING = "weighing_observed", _("Weighing observed")
    HCM = "hcm_served", _("Hot cooked meal served")
    THR_STOCK = "thr_stock_adequate", _("THR stock adequate")


# Who may own an action a visit agreed on: the centre's and the block's roles, as the portal names them, and the
# ANM of the health department, who has no role in the portal.
Owner = models.TextChoices("Owner", [
    *((role.name, (role.value, role.label)) for role in (Role.AWW, Role.AWH, Role.SUPERVISOR, Role.CDPO)),
    ("ANM", ("anm", _("ANM"))),
])


class VhsndService(models.TextChoices):
    IMMUNISATION = "immunisation", _("Immunisation")
    ANC = "anc_checkup", _("Antenatal check-up")
    GROWTH = "growth_monitoring", _("Growth monitoring")
    THR = "thr", _("Take-home ration")
    COUNSELLING = "counselling", _("Nutrition counselling")
    IFA = "ifa_deworming", _("IFA tablets and deworming")
    FAMILY_PLANNING = "family_planning", _("Family planning")
    REFERRAL = "referral", _("Referral to the health centre")


class Condition(models.TextChoices):
    NO_SUBMISSION_7 = rules.NO_SUBMISSION_7, _("Nothing submitted for 7 days")
    NO_SUBMISSION_30 = rules.NO_SUBMISSION_30, _("Nothing submitted for 30 days")
    NO_VHSND = rules.NO_VHSND, _("No VHSND for 37 days")
    HOME_VISITS_LOW = rules.HOME_VISITS_LOW, _("Home visits under the norm this month")
    WEIGHING_LOW = rules.WEIGHING_LOW, _("Weighing under the norm this month")


class Visit(models.Model):
    """A supervisor's visit to one AWC: the checklist's answers are its `checks`, the actions it raised `actions`."""

    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    on = models.DateField(_("date of visit"))
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("findings"), max_length=2000, blank=True)
    client_uuid = models.UUIDField(unique=True, null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["awc", "on"], name="supvisit_awc_on")]

    def __str__(self) -> str:
        return f"{self.awc_id} {self.on}"


class VisitCheck(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checks", db_index=False)
    item = models.CharField(max_length=32, choices=ChecklistItem.choices)
    ok = models.BooleanField()
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="supvisitcheck_once")]


class ActionItem(models.Model):
    """An action a visit agreed on; the next visit to the centre checks it (done, or not done and carried on)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", _("Not done")

    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    raised_in = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="actions")
    text = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("who"), max_length=16, choices=Owner.choices)
    due_on = models.DateField(_("due by"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    checked_in = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="checked")
    carried_from = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="carried_to")

    class Meta:
        indexes = [models.Index(fields=["awc", "status"], name="supaction_awc_status")]
        constraints = [models.CheckConstraint(condition=Q(status="open", checked_in__isnull=True)
                                              | (~Q(status="open") & Q(checked_in__isnull=False)),
                                              name="supaction_checked_when_closed")]


class Vhsnd(models.Model):
    """A Village Health Sanitation and Nutrition Day held at the AWC with the ANM."""

    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    on = models.DateField(_("date"))
    services = models.JSONField(_("services given"), default=list)
    children_referred = models.PositiveSmallIntegerField(_("children referred"), default=0)
    anm_present = models.BooleanField(_("ANM present"), default=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["awc", "on"], name="vhsnd_once_a_day")]

    @property
    def service_labels(self) -> list[str]:
        labels = dict(VhsndService.choices)
        return [str(labels[s]) for s in self.services if s in labels]


class Alert(models.Model):
    """One condition at one centre, opened once when it starts to hold and cleared when it stops."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLEARED = "cleared", _("Cleared")

    condition = models.CharField(max_length=24, choices=Condition.choices)
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    district = models.ForeignKey(Location, null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    figure = models.IntegerField(null=True, blank=True)
    opened_on = models.DateField()
    opened_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)  # its SMS went (or was folded into one that went)

    class Meta:
        indexes = [models.Index(fields=["awc", "state"], name="supalert_awc_state"),
                   models.Index(fields=["district", "state"], name="supalert_district_state")]
        constraints = [models.UniqueConstraint(fields=["condition", "awc"], condition=Q(state="open"),
                                               name="supalert_one_open")]


class AlertRun(models.Model):
    """The beat task's last evaluation of one district on one day (the home page says when it was)."""

    district = models.ForeignKey(Location, null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    on = models.DateField()
    finished_at = models.DateTimeField(default=timezone.now)
    opened = models.PositiveIntegerField(default=0)
    cleared = models.PositiveIntegerField(default=0)
    open_total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "on"], name="supalertrun_once_a_day")]


class AlertSms(models.Model):
    """An alert SMS sent: at most one per person, condition and day (the rate limit is this constraint)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    condition = models.CharField(max_length=24, choices=Condition.choices)
    on = models.DateField()
    centres = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "condition", "on"], name="supalertsms_once_a_day")]


class AlertContact(models.Model):
    """The official mobile an officer's alerts go to by SMS (none: alerts on her home page only); encrypted at rest
    like every mobile number, shown masked."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_contact")
    mobile = EncryptedTextField(_("mobile for alerts"), validators=[
        RegexValidator(r"^[6-9]\d{9}$", _("A mobile number has 10 digits and starts with 6, 7, 8 or 9."))])
    sms = models.BooleanField(_("send alerts by SMS"), default=True)

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)
