"""Take-Home Ration: stock, the monthly distribution register, face enrolment and checks, fallbacks.

A face is stored only as its 128-d encoding, encrypted (FaceEnrolment.encoding);
photos never reach the database. A face belongs to one person: an adult (or an
adolescent girl) is verified against her own face, a child under 6 against the face
of the parent or guardian named in FaceOwner. A distribution is unique per
beneficiary per month and records how the hand-over was verified.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location
from beneficiaries.models import Beneficiary
from poshan.core.fields import EncryptedBinaryField


class Verification(models.TextChoices):
    FACE = "face", _("Face match")
    OTP = "otp", _("One-time code to the registered mobile")
    NOMINEE = "nominee", _("Nominee's face match")
    OVERRIDE = "override", _("Supervisor override")


class ThrStockEntry(models.Model):
    """Packets received at a centre (the balance is received minus distributed)."""

    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    received_on = models.DateField(_("received on"))
    packets = models.PositiveIntegerField(_("packets received"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("THR stock entry")
        verbose_name_plural = _("THR stock entries")
        indexes = [models.Index(fields=["awc", "received_on"], name="thrstock_awc_day")]
        constraints = [models.CheckConstraint(condition=Q(packets__gt=0), name="thrstock_packets_positive")]


class FaceEnrolment(models.Model):
    """One person's face: a gallery of 1-5 encodings (128 float64 each, one after the other, Fernet-encrypted),
    matched against the nearest; erased on withdrawal or exit."""

    person = models.OneToOneField(Beneficiary, on_delete=models.CASCADE, related_name="face_enrolment")
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    encoding = EncryptedBinaryField(editable=False)
    photos = models.PositiveSmallIntegerField(default=1, help_text="encodings in the gallery")
    refreshed_at = models.DateTimeField(null=True, blank=True, help_text="when the newest photo joined the gallery")
    enrolled_at = models.DateTimeField(default=timezone.now)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("face enrolment")


class FaceOwner(models.Model):
    """Whose face a child's ration is verified against (the mother, the father or a guardian)."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Guardian")

    beneficiary = models.OneToOneField(Beneficiary, on_delete=models.CASCADE, related_name="thr_face_owner")
    owner = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(_("relation to the child"), max_length=10, choices=Relation.choices)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(owner=models.F("beneficiary")),
                                              name="faceowner_not_self")]


class Nominee(models.Model):
    """An adult of the household who may collect the ration after her own face match."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="thr_nominees", db_index=False)
    person = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "person"], name="nominee_once"),
            models.CheckConstraint(condition=~Q(person=models.F("beneficiary")), name="nominee_not_self"),
        ]


# A face match that did not match (then the worker may use another way): counted per centre and month by the
# rollups, per person and month by the hand-over's rules (the one condition both read).
MATCH_FAILED = Q(purpose="match") & (Q(status="failed") | Q(status="done", matched=False))


class FaceCheck(models.Model):
    """One photo's journey: sent → encoded by the `frs` worker → enrolled, or matched 1:1 with a distance."""

    class Purpose(models.TextChoices):
        ENROL = "enrol", _("Enrolment")
        MATCH = "match", _("Match")

    class Status(models.TextChoices):
        PENDING = "pending", _("Checking")
        DONE = "done", _("Done")
        FAILED = "failed", _("New photo needed")

    class Error(models.TextChoices):
        NONE = "", _("None")
        NO_FACE = "no_face", _("No face found")
        MANY_FACES = "many_faces", _("More than one face")
        UNREADABLE = "unreadable", _("Photo could not be read")
        EXPIRED = "expired", _("Photo expired before it was checked")
        NOT_ENROLLED = "not_enrolled", _("No enrolled face")
        ALREADY_ENROLLED = "already_enrolled", _("Face already enrolled")
        NOT_SAME_FACE = "not_same_face", _("Not the enrolled face")
        NOT_TURNED = "not_turned", _("The head did not turn between the two photos")
        UNAVAILABLE = "unavailable", _("Face service unavailable")

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    # No indexes of their own: facecheck_awc_month and facecheck_beneficiary_month lead with them.
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="thr_face_checks",
                                    db_index=False)
    person = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+",
                               help_text="whose face is in the photo")
    purpose = models.CharField(max_length=5, choices=Purpose.choices)
    via_nominee = models.BooleanField(default=False)
    month = models.DateField(null=True, blank=True)
    quantity = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=16, choices=Error.choices, blank=True)
    distance = models.FloatField(null=True, blank=True)
    matched = models.BooleanField(null=True, blank=True)
    tolerance = models.FloatField(null=True, blank=True)
    distribution_error = models.CharField(max_length=300, blank=True)
    # A near miss's encoding (encrypted), kept only until a one-time code confirms the person this month (then
    # it joins the gallery) or the month is over; never the photo.
    candidate = EncryptedBinaryField(null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["awc", "month", "purpose", "status"], name="facecheck_awc_month"),
            models.Index(fields=["beneficiary", "month"], name="facecheck_beneficiary_month"),
            # The failures alone: a centre-month's count reads them, not the month's every match (with the index
            # above PostgreSQL read a chunk's whole history: 371 ms for 500 AWCs of a 2,500-AWC world).
            models.Index(fields=["awc", "month"], condition=MATCH_FAILED, name="facecheck_failed_awc_month"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="match", status="done") | Q(distance__isnull=False, matched__isnull=False),
                name="facecheck_match_has_decision",
            ),
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="facecheck_failure_has_code"),
        ]

    @property
    def failed_match(self) -> bool:
        return self.purpose == self.Purpose.MATCH and (
            self.status == self.Status.FAILED or (self.status == self.Status.DONE and self.matched is False)
        )


class OtpChallenge(models.Model):
    """A 6-digit code sent by SMS to the family's registered mobile; only its keyed hash is kept."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+", db_index=False)
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    sent_to = models.CharField(_("sent to"), max_length=16, help_text="masked number")
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["beneficiary", "month"], name="otp_beneficiary_month")]


class OverrideRequest(models.Model):
    """A worker asks the supervisor to let the ration go without a face match; the reason is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the supervisor")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="thr_overrides")
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    month = models.DateField()
    quantity = models.PositiveSmallIntegerField(_("packets"))
    reason = models.TextField(_("reason"), max_length=500)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        indexes = [models.Index(fields=["awc", "month", "status"], name="override_awc_month")]
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "month"], condition=~Q(status="rejected"),
                                    name="one_open_override_per_month"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="override_quantity_positive"),
        ]


class ThrDistribution(models.Model):
    """The monthly register: one hand-over per beneficiary per month, and how it was verified."""

    # No single-column indexes: the unique (beneficiary, month) and (awc, month, verified_by) lead with these keys.
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="thr_distributions",
                                    db_index=False)
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    month = models.DateField(help_text="first day of the month")
    quantity = models.PositiveSmallIntegerField(_("packets"))
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handed_over_at = models.DateTimeField(default=timezone.now)
    verified_by = models.CharField(max_length=8, choices=Verification.choices)
    face_check = models.OneToOneField(FaceCheck, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="distribution")
    nominee = models.ForeignKey(Beneficiary, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    otp = models.OneToOneField(OtpChallenge, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    override = models.OneToOneField(OverrideRequest, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="distribution")
    failed_matches = models.PositiveSmallIntegerField(
        default=0, help_text="face checks of the month that did not match before this hand-over (retries)")
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("THR distribution")
        permissions = [("view_thr_report", "Can see THR figures of own area")]
        indexes = [models.Index(fields=["awc", "month", "verified_by"], name="thrdist_awc_month")]
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "month"], name="one_thr_per_beneficiary_month"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="thrdist_quantity_positive"),
            models.CheckConstraint(
                condition=(
                    Q(verified_by="face", face_check__isnull=False, nominee__isnull=True)
                    | Q(verified_by="nominee", face_check__isnull=False, nominee__isnull=False)
                    | Q(verified_by="otp", otp__isnull=False)
                    | Q(verified_by="override", override__isnull=False)
                ),
                name="thrdist_verification_evidence",
            ),
        ]
