"""Households and the people the programme serves, their consent, pregnancies and moves.

A person's category (pregnant, lactating, child band, adolescent) is never stored:
it is derived from dates (see lifestage.py and selectors.category_q), so children
move between bands by themselves. Nobody is ever deleted: leaving is recorded.
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location
from poshan.core.fields import EncryptedTextField
from poshan.core.masking import mask_aadhaar, mask_mobile


class Household(models.Model):
    class SocialCategory(models.TextChoices):
        SC = "sc", _("Scheduled Caste")
        ST = "st", _("Scheduled Tribe")
        OBC = "obc", _("Other Backward Class")
        GENERAL = "general", _("General")
        NOT_SAID = "", _("Not stated")

    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="households", db_index=False)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    head_name = models.CharField(_("head of household"), max_length=120)
    hamlet = models.CharField(_("hamlet / ward"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    social_category = models.CharField(_("social category"), max_length=8, choices=SocialCategory.choices, blank=True)
    is_minority = models.BooleanField(_("minority"), default=False)
    mobile = EncryptedTextField(_("mobile"), blank=True)
    mobile_index = models.CharField(max_length=64, blank=True, editable=False)  # indexed: Meta
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["awc", "head_name"], name="household_awc_head"),
                   # Not db_index=True on the field, which adds a copy for LIKE, never used on a keyed hash.
                   models.Index(fields=["mobile_index"], name="household_mobile")]

    def __str__(self) -> str:
        return f"{self.head_name} ({self.hamlet})" if self.hamlet else self.head_name

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)


class Beneficiary(models.Model):
    """A registered person. `awc` is where they are served now (see AwcMembership for history)."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        OTHER = "O", _("Other")

    class Relation(models.TextChoices):
        SELF = "self", _("Self (head)")
        SPOUSE = "spouse", _("Wife / husband")
        SON = "son", _("Son")
        DAUGHTER = "daughter", _("Daughter")
        DAUGHTER_IN_LAW = "daughter_in_law", _("Daughter-in-law")
        GRANDCHILD = "grandchild", _("Grandchild")
        PARENT = "parent", _("Mother / father")
        OTHER = "other", _("Other")

    class Disability(models.TextChoices):
        NONE = "", _("None")
        LOCOMOTOR = "locomotor", _("Locomotor")
        VISUAL = "visual", _("Visual")
        HEARING = "hearing", _("Hearing / speech")
        INTELLECTUAL = "intellectual", _("Intellectual")
        MULTIPLE = "multiple", _("Multiple")
        OTHER = "other", _("Other")

    class ExitReason(models.TextChoices):
        AGED_OUT = "aged_out", _("Reached 6 years")
        DEATH = "death", _("Death")
        MOVED_AWAY = "moved_away", _("Moved away (not known where)")
        DUPLICATE = "duplicate", _("Duplicate registration")

    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="beneficiaries", db_index=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    dob = models.DateField(_("date of birth"))
    dob_estimated = models.BooleanField(_("date of birth estimated from age"), default=False)
    relation_to_head = models.CharField(_("relation to head"), max_length=16, choices=Relation.choices,
                                        default=Relation.OTHER)
    disability = models.CharField(_("disability"), max_length=16, choices=Disability.choices, blank=True)
    is_resident = models.BooleanField(_("resident"), default=True)
    aadhaar = EncryptedTextField(_("Aadhaar"), blank=True)
    aadhaar_index = models.CharField(max_length=64, null=True, blank=True, editable=False)  # unique: Meta
    aadhaar_guardian = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("linked to the Aadhaar of"),
    )
    mother = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    birth_weight_kg = models.DecimalField(_("birth weight (kg)"), max_digits=4, decimal_places=2, null=True, blank=True)
    last_weighed_on = models.DateField(null=True, blank=True, editable=False)
    last_visited_on = models.DateField(null=True, blank=True, editable=False)
    exited_on = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=16, choices=ExitReason.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "beneficiaries"
        indexes = [
            models.Index(fields=["awc", "dob"], name="beneficiary_awc_dob"),
            models.Index(fields=["awc", "name"], name="beneficiary_awc_name"),
        ]
        constraints = [
            # A constraint, not unique=True on the field: that would add a copy of the index for LIKE, never used
            # on a keyed hash (tests/core/test_schema_indexes.py).
            models.UniqueConstraint(fields=["aadhaar_index"], name="beneficiary_aadhaar_once"),
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True, exit_reason="") | Q(exited_on__isnull=False) & ~Q(exit_reason=""),
                name="beneficiary_exit_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(birth_weight_kg__isnull=True) | Q(birth_weight_kg__gte=0.5, birth_weight_kg__lte=6.5),
                name="beneficiary_birth_weight_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def aadhaar_masked(self) -> str:
        return mask_aadhaar(self.aadhaar)

    @property
    def is_aadhaar_seeded(self) -> bool:
        return bool(self.aadhaar_index) or self.aadhaar_guardian_id is not None


class Consent(models.Model):
    """Informed consent, given by the person or a guardian, for named purposes."""

    class Purpose(models.TextChoices):
        SERVICES = "services", _("Registration and services (name, age, address, mobile)")
        AADHAAR = "aadhaar", _("Record the Aadhaar number")
        FACE = "face", _("Face photo check for take-home ration")
        SMS = "sms", _("Messages and one-time codes by SMS")

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("consent given by"), max_length=120)
    relation = models.CharField(_("relation to the person"), max_length=40, default="self")
    purposes = models.JSONField(default=list)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")


class Pregnancy(models.Model):
    """From LMP to delivery; the delivery record makes the mother lactating and adds the child."""

    class Outcome(models.TextChoices):
        ONGOING = "", _("Ongoing")
        LIVE_BIRTH = "live_birth", _("Live birth")
        STILLBIRTH = "stillbirth", _("Stillbirth")
        ABORTION = "abortion", _("Abortion / miscarriage")

    woman = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="pregnancies", db_index=False)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)
    lmp = models.DateField(_("last menstrual period"), null=True, blank=True)
    edd = models.DateField(_("expected delivery"), null=True, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "pregnancies"
        constraints = [
            models.UniqueConstraint(fields=["woman"], condition=Q(delivery_date__isnull=True),
                                    name="one_ongoing_pregnancy"),
            models.CheckConstraint(
                condition=Q(lmp__isnull=True) | Q(delivery_date__isnull=True) | Q(delivery_date__gte=models.F("lmp")),
                name="delivery_after_lmp",
            ),
            models.CheckConstraint(condition=Q(lmp__isnull=False) | Q(delivery_date__isnull=False),
                                   name="pregnancy_has_a_date"),
        ]
        indexes = [models.Index(fields=["woman", "delivery_date"], name="pregnancy_woman_delivery")]


class AwcMembership(models.Model):
    """Where a person was served, from `start` to `end` (open while current)."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="memberships")
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["beneficiary"], condition=Q(end__isnull=True), name="one_open_membership"),
        ]
        indexes = [models.Index(fields=["awc", "start", "end"], name="membership_awc_period")]


class Transfer(models.Model):
    """A move between AWCs (any state): requested by the sending side or pulled by the receiving one."""

    class Kind(models.TextChoices):
        TEMPORARY = "temporary", _("Temporary (will return)")
        PERMANENT = "permanent", _("Permanent")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the receiving centre")
        ACCEPTED = "accepted", _("Moved")
        REJECTED = "rejected", _("Refused by the receiving centre")
        RETURNED = "returned", _("Returned to the first centre")
        LAPSED = "lapsed", _("Lapsed: the person moved elsewhere or left")

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="transfers")
    from_awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    to_awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    expected_return = models.DateField(null=True, blank=True)
    pulled = models.BooleanField(default=False, help_text="asked for by the receiving centre")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A pull never locks the person: one push at a time, and one pull per asking centre.
            models.UniqueConstraint(fields=["beneficiary"], condition=Q(status="requested", pulled=False),
                                    name="one_pending_push"),
            models.UniqueConstraint(fields=["beneficiary", "to_awc"], condition=Q(status="requested", pulled=True),
                                    name="one_pending_pull_per_centre"),
            models.CheckConstraint(condition=~Q(from_awc=models.F("to_awc")), name="transfer_changes_awc"),
        ]
