"""A malnourished child's case (CMAM) and its append-only list of events; a state's own protocol values.

The case's state is derived from its events by growth.cases.rules.derive; the fields marked "derived"
below are that answer stored for listing and counting (written by the services after every event and by
the nightly flagging job, which also moves the calendar on). Imported into growth.models.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location
from beneficiaries.models import Beneficiary

from . import rules


class Case(models.Model):
    class Category(models.TextChoices):
        SAM = rules.SAM, _("Severe acute malnutrition (SAM)")
        MAM = rules.MAM, _("Moderate acute malnutrition (MAM)")
        SUW = rules.SUW, _("Severely underweight")
        AT_RISK = rules.AT_RISK, _("Infant under 6 months at risk")

    class Status(models.TextChoices):
        ASSESSMENT = rules.ASSESSMENT, _("Appetite test and danger signs due")
        REFERRAL_PENDING = rules.REFERRAL_PENDING, _("Referred, outcome not recorded")
        AT_NRC = rules.AT_NRC, _("At the NRC")
        IN_TREATMENT = rules.IN_TREATMENT, _("Under treatment at the centre")
        CLOSED = rules.CLOSED, _("Closed")

    class Level(models.TextChoices):
        CENTRE = rules.CENTRE, _("At the centre (community)")
        NRC = rules.NRC, _("Nutrition Rehabilitation Centre (NRC)")

    class Outcome(models.TextChoices):
        NONE = "", _("Open")
        RECOVERED = rules.RECOVERED, _("Recovered")
        NON_RESPONDER = rules.NON_RESPONDER, _("Non-responder")
        DEFAULTED = rules.DEFAULTED, _("Defaulted")
        REFERRED_NOT_RETURNED = rules.REFERRED_NOT_RETURNED, _("Referred and not returned")
        MOVED = rules.MOVED, _("Moved away")
        DIED = rules.DIED, _("Died")
        AGED_OUT = rules.AGED_OUT, _("Reached 5 years")

    child = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="cmam_cases", db_index=False)
    # Where the child is served now, with the ancestors' ids: "the cases of district D" is one indexed filter.
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    sector = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    project = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    district = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    state = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    category = models.CharField(_("category"), max_length=8, choices=Category.choices)
    opened_on = models.DateField(_("opened on"))
    # The measurement table is partitioned by month: no database-level foreign key into it (see ChildStatus).
    opened_by = models.ForeignKey("growth.Measurement", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", db_constraint=False)
    relapse_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="relapses")
    rules_version = models.CharField(max_length=40)
    # Derived (rules.derive), stored for lists and counts.
    is_open = models.BooleanField(default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    level = models.CharField(_("level of care"), max_length=8, choices=Level.choices, default=Level.CENTRE)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    next_step = models.CharField(max_length=24, blank=True)
    next_due = models.DateField(null=True, blank=True)
    overdue_steps = models.CharField(max_length=200, blank=True, help_text="comma-separated steps overdue")
    referral_open_since = models.DateField(null=True, blank=True)
    last_followup_on = models.DateField(null=True, blank=True)
    sam_no_followup_alert = models.BooleanField(default=False)
    nrc_referrals = models.PositiveSmallIntegerField(default=0)
    nrc_admissions = models.PositiveSmallIntegerField(default=0)
    weight_gain_g_kg_day = models.FloatField(null=True, blank=True)
    derived_on = models.DateField(help_text="the day the stored state was derived for")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(is_open=True), name="case_one_open_per_child"),
            models.CheckConstraint(condition=Q(is_open=True, outcome="", closed_on__isnull=True)
                                   | Q(is_open=False) & ~Q(outcome="") & Q(closed_on__isnull=False),
                                   name="case_closed_has_outcome"),
        ]
        indexes = [
            models.Index(fields=["child", "opened_on"], name="case_child"),
            models.Index(fields=["awc", "is_open", "next_due"], name="case_awc_open"),
            models.Index(fields=["sector", "is_open", "status"], name="case_sector_open"),
            models.Index(fields=["project", "is_open", "status"], name="case_project_open"),
            models.Index(fields=["district", "opened_on"], name="case_district_opened"),
            models.Index(fields=["state", "opened_on"], name="case_state_opened"),
        ]
        permissions = [("manage_case", "Can record the steps of a malnourished child's treatment")]

    def __str__(self) -> str:
        return f"case {self.pk} {self.category} child {self.child_id}"

    @property
    def overdue_list(self) -> list[str]:
        return [s for s in self.overdue_steps.split(",") if s]


class CaseEvent(models.Model):
    """One step of a case, as recorded. Never changed or deleted: a correction is a new event."""

    class Kind(models.TextChoices):
        IDENTIFIED = rules.IDENTIFIED, _("Identified")
        APPETITE_TEST = rules.APPETITE_TEST, _("Appetite test")
        COMPLICATIONS = rules.COMPLICATIONS, _("Danger signs checked")
        REFERRED = rules.REFERRED, _("Referred to the NRC")
        REFERRAL_OUTCOME = rules.REFERRAL_OUTCOME, _("Referral outcome")
        SCREENED = rules.SCREENED, _("Medical screening")
        FOLLOWUP = rules.FOLLOWUP, _("Follow-up")
        BUDDY_MOTHER = rules.BUDDY_MOTHER, _("Buddy mother assigned")
        BUDDY_VISIT = rules.BUDDY_VISIT, _("Buddy mother's visit")
        COUNSELLED = rules.COUNSELLED, _("Counselling")
        TRANSFERRED = rules.TRANSFERRED, _("Moved to another centre")
        EXIT = rules.EXIT, _("Exit")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", db_index=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    payload = models.JSONField(default=dict, blank=True)
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False,
                            help_text="the child's centre when recorded")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    measurement = models.ForeignKey("growth.Measurement", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_constraint=False)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["case", "date", "id"], name="caseevent_case_date")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A case event is never changed: record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A case event is never deleted.")

    def as_rule_event(self) -> rules.Event:
        return rules.Event(self.kind, self.date, self.payload)


class CaseRulesOverride(models.Model):
    """A state's own protocol values (JSON of rule name: value, see growth.cases.rules.Rules)."""

    state = models.OneToOneField(Location, on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"level": "state"})
    overrides = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="the state order or circular these values follow")
    updated_at = models.DateTimeField(auto_now=True)

    def clean(self) -> None:
        try:
            rules.rules_with(self.overrides)
        except rules.RulesError as error:
            raise ValidationError({"overrides": str(error)}) from error
