"""Grievances from the app, the dashboard and the helpline; the routing table; history; notifications.

A grievance belongs to an AWC (scoping goes through the AWC's ancestor ids), sits at
one desk (a role: the officer of that role whose area holds the AWC), and carries two
deadlines: `sla_due_at`, promised when it was lodged (the figure "resolved in SLA"),
and `due_at`, the current desk's deadline (passing it escalates one desk up).
"""
from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poshan.core.languages import SERVICE_LANGUAGES
from poshan.core.roles import Role

MAX_DESCRIPTION = 2000
MAX_NOTE = 1000

# Desks, bottom to top: escalation moves a grievance one step to the right.
DESK_ROLES: tuple[str, ...] = (Role.SUPERVISOR, Role.CDPO, Role.DPO, Role.STATE, Role.MINISTRY)
DESK_CHOICES = [(role.value, role.label) for role in Role if role in DESK_ROLES]

# The languages the Poshan helpline serves (the counselling videos come in the same).
HELPLINE_LANGUAGES = SERVICE_LANGUAGES


class Category(models.TextChoices):
    APP = "app", _("App / technical problem")
    DEVICE = "device", _("Device (phone)")
    INTERNET = "internet", _("Internet reimbursement")
    PAYMENT = "payment", _("Payment / honorarium")
    SUPPLIES = "supplies", _("Supplies / THR stock")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


ACTIVE_STATUSES = (Status.OPEN, Status.IN_PROGRESS)


class Channel(models.TextChoices):
    APP = "app", _("Worker, from the portal")
    DASHBOARD = "dashboard", _("Officer, on a worker's behalf")
    HELPLINE = "helpline", _("Helpline call")


class RoutingRule(models.Model):
    """Which desk a category goes to, and how long that desk has (editable in the admin)."""

    category = models.CharField(_("category"), max_length=16, choices=Category.choices, unique=True)
    desk_role = models.CharField(_("desk"), max_length=16, choices=DESK_CHOICES)
    sla_hours = models.PositiveIntegerField(
        _("SLA (hours)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 90)],
    )

    class Meta:
        ordering = ["category"]
        verbose_name = _("routing rule")

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.get_desk_role_display()} ({self.sla_hours} h)"


def screenshot_path(instance, filename: str) -> str:
    """A random name under a private folder; the original name never reaches the disk."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (".jpg", ".jpeg", ".png", ".webp"):
        suffix = ""
    return f"private/grievances/{uuid.uuid4().hex}{suffix}"


class Grievance(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True, editable=False)
    submission_id = models.UUIDField(_("submission id"), unique=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"), max_length=MAX_DESCRIPTION)
    screenshot = models.FileField(_("screenshot"), upload_to=screenshot_path, blank=True, max_length=200)
    screenshot_format = models.CharField(max_length=8, blank=True, editable=False)
    awc = models.ForeignKey("anganwadi.Location", on_delete=models.PROTECT, related_name="+",
                            limit_choices_to={"level": "awc"}, verbose_name=_("Anganwadi centre"), db_index=False)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="grievances", verbose_name=_("worker"))
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("lodged by"))
    caller_name = models.CharField(_("caller's name"), max_length=120, blank=True)
    caller_language = models.CharField(_("caller's language"), max_length=3, choices=HELPLINE_LANGUAGES, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    desk_role = models.CharField(_("desk"), max_length=16, choices=DESK_CHOICES)
    sla_due_at = models.DateTimeField(_("promised by"))
    due_at = models.DateTimeField(_("desk deadline"))
    escalation_count = models.PositiveSmallIntegerField(_("escalations"), default=0)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("assigned to"))
    resolution_note = models.TextField(_("resolution"), max_length=MAX_NOTE, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("lodged at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("lodge_own_grievance", "Can lodge a grievance for own centre"),
            ("lodge_for_worker", "Can lodge a grievance on a worker's behalf"),
            ("lodge_by_phone", "Can record a grievance phoned in to the helpline"),
            ("work_grievance_desk", "Can work the grievance desk of own role and area"),
            ("handle_grievance", "Can handle this grievance (assigned officer)"),
            ("view_grievance_figures", "Can see grievance figures of own area"),
        ]
        indexes = [
            models.Index(fields=["desk_role", "status", "due_at"], name="grievance_desk_queue"),
            models.Index(fields=["status", "due_at"], name="grievance_status_due"),
            models.Index(fields=["awc", "status"], name="grievance_awc_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ACTIVE_STATUSES) | Q(resolved_at__isnull=False),
                name="grievance_resolved_has_time",
            ),
            models.CheckConstraint(
                condition=Q(channel="helpline") | Q(worker__isnull=False), name="grievance_worker_unless_helpline",
            ),
            models.CheckConstraint(
                condition=~Q(channel="helpline") | ~Q(caller_language=""), name="grievance_helpline_has_language",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    def is_overdue(self, now=None) -> bool:
        """Past the current desk's deadline and still not resolved."""
        return self.status in ACTIVE_STATUSES and self.due_at < (now or timezone.now())


class GrievanceEvent(models.Model):
    """One step in a grievance's history, shown to the worker."""

    class Kind(models.TextChoices):
        LODGED = "lodged", _("Lodged")
        STARTED = "started", _("Work started")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        ESCALATED = "escalated", _("Escalated")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Note")

    grievance = models.ForeignKey(Grievance, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices)
    desk_role = models.CharField(max_length=16, choices=DESK_CHOICES)
    note = models.TextField(max_length=MAX_NOTE, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.grievance_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app message (the in-app notification backend writes these)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             db_index=False)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=200, blank=True)
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read", "created_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text[:40]}"
