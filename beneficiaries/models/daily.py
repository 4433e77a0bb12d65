"""What each person receives day by day: attendance with the hot cooked meal, and home visits.

Attendance keeps a row per child *present* (absent = no row), so a day of 40
children is one bulk insert; the meal served is a flag on that row.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location

from .people import Beneficiary


class Attendance(models.Model):
    # No single-column indexes: (awc, child, date) and the unique (child, date) lead with these keys (the
    # largest table, ~15,000 rows per centre a year, is written with three indexes instead of five).
    # (awc, child, date) carrying hcm: a month's figures for a chunk of AWCs (selectors.daily.service_summary) are
    # read from the index alone, already grouped by child (150 -> 77 ms for 500 AWCs' month, once vacuumed); the
    # day's sheet of one centre still starts from its AWC.
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    child = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="attendance", db_index=False)
    date = models.DateField()
    hcm = models.BooleanField(_("hot cooked meal served"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "date"], name="attendance_once_a_day")]
        permissions = [("view_service_summary", "Can see the monthly service summary of centres (figures only)")]
        indexes = [models.Index(fields=["awc", "child", "date"], include=["hcm"], name="attendance_awc_child_date")]


class AttendanceSubmission(models.Model):
    """One submitted attendance sheet: a replay of the same client_uuid gets the first answer back."""

    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    date = models.DateField()
    client_uuid = models.UUIDField(unique=True, null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    backdate_reason = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["awc", "date"], name="attsub_awc_date")]


class CounsellingTopic(models.TextChoices):
    """What a worker counsels a family on at a home visit. The training library files its counselling videos under
    these topics (training.models.Topic adds the self-learning modules' own), so a visit's topic finds its video."""

    BIRTH_PREPAREDNESS = "birth_preparedness", _("Birth preparedness")
    DELIVERY = "delivery", _("Delivery")
    POSTNATAL_CARE = "postnatal_care", _("Post-natal care")
    BREASTFEEDING = "breastfeeding", _("Breastfeeding")
    COMPLEMENTARY_FEEDING = "complementary_feeding", _("Complementary feeding")
    HYGIENE = "hygiene", _("Hygiene and sanitation")
    IMMUNISATION = "immunisation", _("Immunisation")


class HomeVisit(models.Model):
    class Purpose(models.TextChoices):
        PREGNANCY = "pregnancy", _("Pregnancy care")
        NEWBORN = "newborn", _("Newborn care")
        CHILD = "child", _("Child growth and feeding")
        FOLLOW_UP = "follow_up", _("Follow-up of a flagged child")
        OTHER = "other", _("Other")

    # The counselling given at the visit: one of the topics, or none.
    Topic = models.TextChoices("Topic", [*((topic.name, (topic.value, topic.label)) for topic in CounsellingTopic),
                                         ("NONE", ("", _("No counselling")))])

    # No index of its own: homevisit_awc_date leads with it (beside it, PostgreSQL read a centre's every month).
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="home_visits")
    date = models.DateField(_("date of visit"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    topic = models.CharField(_("counselling given"), max_length=32, choices=Topic.choices, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    backdate_reason = models.CharField(max_length=200, blank=True)
    client_uuid = models.UUIDField(unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["awc", "date"], name="homevisit_awc_date")]
        constraints = [models.CheckConstraint(condition=~Q(purpose=""), name="homevisit_has_purpose")]
