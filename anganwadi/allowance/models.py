"""Internet allowance: a person's claim for a quarter, and its payment by the state's approver.

A person has at most one live claim per quarter (a rejected one may be made again) and is
paid at most once per quarter: both are database constraints as well as service rules.
Amounts are whole rupees.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import rules


def period_label(start) -> str:
    end = rules.quarter_end(start)
    return _("%(start)s–%(end)s (FY %(fy)s, Q%(q)s)") % {
        "start": date_format(start, "M Y"), "end": date_format(end, "M Y"), "fy": rules.financial_year(start),
        "q": rules.quarter_number(start)}


class AllowanceClaim(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    claimant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("claimant"))
    role = models.CharField(_("role"), max_length=16)
    location = models.ForeignKey("anganwadi.Location", on_delete=models.PROTECT, related_name="+",
                                 help_text="the claimant's place (AWC, sector or project) when claiming",
                                 db_index=False)
    period_start = models.DateField(_("quarter"), help_text="first day of a financial-year quarter")
    amount = models.PositiveIntegerField(_("amount (₹)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("approver"))
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("reason"), max_length=300, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        permissions = [("view_allowance_figures", "Can see internet allowance due, paid and pending in own area")]
        indexes = [models.Index(fields=["location", "period_start"], name="allowance_place_period"),
                   models.Index(fields=["status", "period_start"], name="allowance_status_period")]
        constraints = [
            models.UniqueConstraint(fields=["claimant", "period_start"], condition=~Q(status="rejected"),
                                    name="allowance_one_claim_per_period"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="allowance_claim_positive"),
            models.CheckConstraint(condition=Q(status="submitted", decided_at__isnull=True)
                                   | ~Q(status="submitted") & Q(decided_at__isnull=False),
                                   name="allowance_decision_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.claimant_id} {self.period_start:%Y-%m} ₹{self.amount}"

    @property
    def period(self) -> str:
        return period_label(self.period_start)


class AllowancePayment(models.Model):
    """The money paid for a claim, approved by a state official: once per person per quarter."""

    claim = models.OneToOneField(AllowanceClaim, on_delete=models.PROTECT, related_name="payment")
    payee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    location = models.ForeignKey("anganwadi.Location", on_delete=models.PROTECT, related_name="+", db_index=False)
    period_start = models.DateField()
    amount = models.PositiveIntegerField(_("amount (₹)"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("bank reference (UTR)"), max_length=40, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approver"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["location", "period_start"], name="allowancepay_place_period")]
        constraints = [
            models.UniqueConstraint(fields=["payee", "period_start"], name="allowance_paid_once_per_period"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="allowance_payment_positive"),
        ]
